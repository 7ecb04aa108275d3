import { openLmdbFleetTargets } from '../../adapters/embedded/lmdbFleetTargets.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { privateKeyToAccount, type PrivateKeyAccount } from 'viem/accounts';
import { createEmbeddedBlockRunDriver, type EmbeddedBlockRunDriver } from '../../adapters/embedded/embeddedBlockRunDriver.js';
import { openFileArtifactStore } from '../../adapters/embedded/fileArtifactStore.js';
import { openLmdbJobStore } from '../../adapters/embedded/lmdbJobStore.js';
import { createLocalAgentPool, type LocalAgentPool } from '../../adapters/embedded/localAgentPool.js';
import { createMemoryWorkQueue } from '../../adapters/embedded/memoryWorkQueue.js';
import { systemClock } from '../../adapters/embedded/systemClock.js';
import { createSimulatedProver } from '../../adapters/provers/simulatedProver.js';
import { DEFAULT_AGENT_SETTINGS, type AgentSettings } from '../../core/agent/agentSettings.js';
import type { AgentEvent } from '../../core/agent/handleDelivery.js';
import { agentDependencies } from '../../core/agent/agentDependencies.js';
import type { BlockBody } from '../../core/body/blockBody.js';
import type { BlockRunRequest } from '../../core/ports/blockRunDriver.js';
import type { RollupChain } from '../../core/ports/l1.js';
import type { ProofRequest, ProverBackend } from '../../core/ports/proverBackend.js';
import type { Logger } from '../../core/ports/logger.js';
import type { ProvingRun } from '../../core/ports/provingRun.js';
import { devnetStateRoots } from '../../core/protocol/devnetStateRoots.js';
import type { Address } from '../../core/protocol/types.js';
import { createRunDependencies, type RunDependencies, type RunSettings } from '../../core/run/runDependencies.js';
import type { Tier } from '../../core/tiers.js';
import { fakeRollupChain, type FakeRollupChain } from './fakeRollupChain.js';
import { revealBlock } from './revealBlock.js';

/** A well-known Hardhat test key: the prover id of harness runs. */
export const TEST_PROVER_KEY = '0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d';

export interface HarnessOptions {
  readonly timeScale?: number;
  readonly agents?: Readonly<Record<Tier, number>>;
  readonly agentSettings?: Partial<AgentSettings>;
  readonly failWhen?: (request: ProofRequest) => boolean;
  readonly maxReceiveCount?: number;
  readonly directory?: string;
  /** Called synchronously with every agent event (e.g. to kill an agent the moment it starts a job). */
  readonly onEvent?: (event: AgentEvent, harness: EmbeddedHarness) => void;
  /** Another prover backend than the simulated one (given the prover id's account). */
  readonly backend?: (attester: PrivateKeyAccount) => ProverBackend;
  /** A real L1 instead of the fake chain (`reveal` then does not apply: reveal on that L1). */
  readonly rollupChain?: RollupChain;
  /** @default 'rfp-2023' */
  readonly profile?: string;
  /** The prover id's key. @default TEST_PROVER_KEY */
  readonly proverKey?: `0x${string}`;
}

export interface EmbeddedHarness {
  readonly directory: string;
  readonly deps: RunDependencies;
  readonly settings: RunSettings;
  readonly chain: FakeRollupChain;
  readonly driver: EmbeddedBlockRunDriver;
  readonly pool: LocalAgentPool;
  readonly store: ReturnType<typeof openLmdbJobStore>;
  readonly artifacts: ReturnType<typeof openFileArtifactStore>;
  readonly queue: ReturnType<typeof createMemoryWorkQueue>;
  readonly events: AgentEvent[];
  readonly warnings: string[];
  readonly proverId: Address;
  /** Reveals `body` as block `blockNumber` on the fake chain and returns the run request for it. */
  reveal(blockNumber: bigint, body: BlockBody, overrides?: Partial<BlockRunRequest>): BlockRunRequest;
  /** Waits until the run reaches a state that satisfies `until`, or fails after `timeoutMs`. */
  waitForRun(runId: string, until: (run: ProvingRun) => boolean, timeoutMs?: number): Promise<ProvingRun>;
  /** First completions per job id. */
  completions(): Map<string, number>;
  close(options?: { keepDirectory?: boolean }): Promise<void>;
}

/** The embedded stack (LMDB, artifact directory, in-process queues and agents) around a fake chain. */
export function embeddedHarness(options: HarnessOptions = {}): EmbeddedHarness {
  const directory = options.directory ?? mkdtempSync(join(tmpdir(), 'pb-harness-'));
  const store = openLmdbJobStore(join(directory, 'store'));
  const targets = openLmdbFleetTargets(join(directory, 'fleet'));
  const artifacts = openFileArtifactStore(join(directory, 'artifacts'));
  const queue = createMemoryWorkQueue({ clock: systemClock, maxReceiveCount: options.maxReceiveCount ?? 5 });
  const attester = privateKeyToAccount(options.proverKey ?? TEST_PROVER_KEY);
  const chain = fakeRollupChain(attester.address);
  const events: AgentEvent[] = [];
  const warnings: string[] = [];
  const log: Logger = {
    debug() {},
    info() {},
    warn: (message, fields) => warnings.push(`${message} ${JSON.stringify(fields ?? {}, (_, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))}`),
    error: (message, fields) => warnings.push(`ERROR ${message} ${JSON.stringify(fields ?? {}, (_, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))}`),
  };
  const backend =
    options.backend?.(attester) ??
    createSimulatedProver({
      clock: systemClock,
      timeScale: options.timeScale ?? 0.001,
      attester,
      ...(options.failWhen ? { failWhen: options.failWhen } : {}),
    });
  const agentSettings: AgentSettings = {
    ...DEFAULT_AGENT_SETTINGS,
    visibilityMs: 2_000,
    heartbeatMs: 500,
    waitMs: 100,
    idleExitMs: 60_000,
    retryDelayMs: 20,
    staleClaimMs: 4_000,
    leaveCheckMs: 100,
    leaveGraceMs: 200,
    ...options.agentSettings,
    secondsPerExpectedSecond: options.timeScale ?? 0.001,
  };
  const maxAgents = options.agents ?? { heavy: 2, light: 4 };
  const pool = createLocalAgentPool({
    maxAgents,
    settings: agentSettings,
    instance: 'test',
    dependencies: (tier, agentId) =>
      agentDependencies(deps, {
        tier,
        agentId,
        backend,
        driver,
        onEvent: (event) => {
          events.push(event);
          options.onEvent?.(event, harness);
        },
      }),
  });
  const deps = createRunDependencies(
    { store, queue, artifacts, capacity: pool, targets, chain: options.rollupChain ?? chain, clock: systemClock, log, stateRoots: devnetStateRoots(options.rollupChain ?? chain) },
    { runTtlMs: 100, maxPlans: 4 },
  );
  const settings: RunSettings = {
    proverId: attester.address,
    profile: options.profile ?? 'rfp-2023',
    maxTxs: 61_440,
    confirmations: 1,
    scaling: {
      minAgents: { heavy: 0, light: 0 },
      maxAgents,
      horizonSeconds: 60,
      urgentSlackSeconds: 0,
      secondsPerExpectedSecond: options.timeScale ?? 0.001,
    },
    rescaleMs: 50,
    submitRetryMs: 50,
  };
  const driver: EmbeddedBlockRunDriver = createEmbeddedBlockRunDriver(deps, settings);

  const harness: EmbeddedHarness = {
    directory,
    deps,
    settings,
    chain,
    driver,
    pool,
    store,
    artifacts,
    queue,
    events,
    warnings,
    proverId: attester.address,
    reveal: (blockNumber, body, overrides = {}) => revealBlock(chain, attester.address, blockNumber, body, overrides),
    async waitForRun(runId, until, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const run = await store.getRun(runId);
        if (run && until(run)) return run;
        if (Date.now() > deadline) {
          throw new Error(`run ${runId} is ${run?.state ?? 'missing'} (${run?.stateReason ?? ''}) after ${timeoutMs} ms; warnings: ${warnings.slice(-5).join(' | ')}`);
        }
        await systemClock.sleep(20);
      }
    },
    completions() {
      const counts = new Map<string, number>();
      for (const event of events) if (event.type === 'proved' && event.first) counts.set(event.jobId, (counts.get(event.jobId) ?? 0) + 1);
      return counts;
    },
    async close({ keepDirectory = false } = {}) {
      await driver.stop();
      await pool.stopAll();
      await store.close();
      await targets.close();
      await artifacts.close();
      if (!keepDirectory) rmSync(directory, { recursive: true, force: true });
    },
  };
  return harness;
}
