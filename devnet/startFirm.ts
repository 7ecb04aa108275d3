import { openLmdbFleetTargets } from '../adapters/embedded/lmdbFleetTargets.js';
import { join } from 'node:path';
import { createPublicClient, createWalletClient, http, type Address, type Chain, type Hex } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { createEmbeddedBlockRunDriver } from '../adapters/embedded/embeddedBlockRunDriver.js';
import { openFileArtifactStore } from '../adapters/embedded/fileArtifactStore.js';
import { openLmdbJobStore, type LmdbJobStore } from '../adapters/embedded/lmdbJobStore.js';
import { createLocalAgentPool, type LocalAgentPool } from '../adapters/embedded/localAgentPool.js';
import { createMemoryWorkQueue } from '../adapters/embedded/memoryWorkQueue.js';
import { startQuoteServer, type QuoteServer } from '../adapters/embedded/quoteServer.js';
import { systemClock } from '../adapters/embedded/systemClock.js';
import { createBarretenbergProver, type ProofStats } from '../adapters/provers/barretenberg/barretenbergProver.js';
import type { NoirTreeSetup } from '../adapters/provers/barretenberg/noirTreeSetup.js';
import { createSimulatedProver } from '../adapters/provers/simulatedProver.js';
import type { AgentSettings } from '../core/agent/agentSettings.js';
import type { AgentEvent } from '../core/agent/handleDelivery.js';
import { agentDependencies } from '../core/agent/agentDependencies.js';
import type { CostModel } from '../core/cost/costModel.js';
import type { BlockPlan } from '../core/plan/blockPlan.js';
import { economicPolicy } from '../core/policy/economicPolicy.js';
import type { ProvingMode } from '../core/policy/decideToProve.js';
import type { Logger } from '../core/ports/logger.js';
import type { ProverBackend } from '../core/ports/proverBackend.js';
import { ACTIVE_RUN_STATES, type ProvingRun } from '../core/ports/provingRun.js';
import { devnetStateRoots } from '../core/protocol/devnetStateRoots.js';
import { quoteAnswerer } from '../core/quote/answerQuoteRequest.js';
import { DEFAULT_FLEET_UTILISATION } from '../core/quote/fleetCapacity.js';
import { authenticateQuoteRequest } from '../core/quote/authenticateQuoteRequest.js';
import { enqueueReadyJobs } from '../core/jobs/enqueueReadyJobs.js';
import { runDue } from '../core/jobs/urgency.js';
import { createRunDependencies, type RunSettings } from '../core/run/runDependencies.js';
import type { Tier } from '../core/tiers.js';
import { watchL1, type WatchTick } from '../core/watch/watchL1.js';
import { createL1Follower } from '../l1/follower/createL1Follower.js';
import { signProverQuote } from '../l1/quotes/quoteSignatures.js';
import { createRollupChain } from '../l1/rollup/createRollupChain.js';
import { createSequencerStakes } from '../l1/rollup/sequencerStakes.js';
import { createMemoryQuoteRequestLedger } from '../adapters/embedded/memoryQuoteRequestLedger.js';
import { createMemorySignedQuotes } from '../adapters/embedded/memorySignedQuotes.js';

/** How a firm proves: SIMULATED digests, or real noir-tree proofs with Barretenberg. */
export type FirmProver =
  | { readonly kind: 'simulated' }
  | { readonly kind: 'barretenberg'; readonly setup: NoirTreeSetup; readonly onProof?: (stats: ProofStats) => void };

/** A real proof may take this long before bb is killed and the job retried (a busy two-core machine is slow). */
const REAL_PROOF_TIMEOUT_MS = 30 * 60_000;

export interface FirmOptions {
  /** Shown in logs and the live view ("our firm", "rival"). */
  readonly name: string;
  /** The prover id's key: signs quotes, attestations (simulated backend) and L1 transactions. */
  readonly proverKey: Hex;
  readonly dataDir: string;
  readonly profile: string;
  /** @default simulated */
  readonly prover?: FirmProver;
  readonly timeScale: number;
  readonly agents: Readonly<Record<Tier, number>>;
  /** The agents' settings; their time scale is the firm's (`timeScale`). */
  readonly agentSettings: Omit<AgentSettings, 'secondsPerExpectedSecond'>;
  readonly mode: ProvingMode;
  readonly costModel: CostModel;
  /** 0 picks a free port. */
  readonly quotePort: number;
  readonly rpcUrl: string;
  readonly chain: Chain;
  readonly rollup: Address;
  readonly deploymentBlock: bigint;
  readonly bond: bigint;
  readonly maxTxs: number;
  readonly watchIntervalMs: number;
  readonly log: Logger;
  readonly onAgentEvent?: (event: AgentEvent) => void;
  /** Told, for each run resumed from the store, how many of its proofs per tier were already done. */
  readonly onResumedRun?: (runId: string, done: Record<Tier, number>) => void;
}

export interface Firm {
  readonly name: string;
  readonly proverId: Address;
  readonly quoteUrl: string;
  readonly pool: LocalAgentPool;
  readonly simulated: boolean;
  /** The backend's own description (names the SRS for real proofs). */
  readonly backendName: string;
  /** Every run the firm knows, newest first. */
  runs(): Promise<ProvingRun[]>;
  /** Stops proving (watcher and agents) without forgetting anything; `resume` carries on. */
  pause(): Promise<void>;
  resume(): void;
  readonly paused: boolean;
  stop(): Promise<void>;
}

/**
 * Agents per local stand-in instance: a c7i-class instance hosts 6 heavy / 24 light (core/tiers `agentsPerInstance`);
 * a devnet runs a few agents, so its instances are smaller, enough that agents share them and leave by the same rule.
 */
export const DEVNET_AGENTS_PER_INSTANCE: Readonly<Record<Tier, number>> = { heavy: 2, light: 4 };

/**
 * One proving firm on the devnet: the embedded orchestrator (LMDB job store, artifact directory, in-process
 * queues, a local agent pool running the SIMULATED or the Barretenberg prover), following L1 with the watcher and
 * answering quotes.
 * On start it resumes whatever its data directory holds: leases of the dead process are dropped, each active run's
 * ready jobs are enqueued again from the store, and the runs walk on from their stored state.
 */
export async function startFirm(options: FirmOptions): Promise<Firm> {
  const account = privateKeyToAccount(options.proverKey);
  const publicClient = createPublicClient({ chain: options.chain, transport: http(options.rpcUrl), pollingInterval: 250 });
  const walletClient = createWalletClient({ account, chain: options.chain, transport: http(options.rpcUrl) });
  const chain = createRollupChain({ publicClient, walletClient, rollup: options.rollup });
  const follower = createL1Follower({ client: publicClient, rollup: options.rollup, confirmations: 0, fromBlock: options.deploymentBlock });
  const store = openLmdbJobStore(join(options.dataDir, 'store'));
  const targets = openLmdbFleetTargets(join(options.dataDir, 'fleet'));
  // The quotes this firm signed, for its later quotes' capacity check (soft state: a restart forgets the few pending).
  const signedQuotes = createMemorySignedQuotes();
  const artifacts = openFileArtifactStore(join(options.dataDir, 'artifacts'));
  const queue = createMemoryWorkQueue({ clock: systemClock, maxReceiveCount: options.agentSettings.maxFailures + 2 });
  const backend = firmBackend(options, account);
  const instance = `${options.name.replace(/\W+/g, '-')}-${process.pid}-${Date.now().toString(36)}`;

  const settings: RunSettings = {
    proverId: account.address,
    profile: options.profile,
    maxTxs: options.maxTxs,
    confirmations: 1,
    scaling: {
      minAgents: { heavy: 0, light: 0 },
      maxAgents: options.agents,
      horizonSeconds: 120,
      urgentSlackSeconds: 0,
      secondsPerExpectedSecond: options.timeScale,
    },
    rescaleMs: 250,
    submitRetryMs: 500,
  };
  let paused = false;
  // The pool is created before the driver it reports to (declared below); agents only start once both exist.
  // This process's own stand-in instances: the previous process's agents are gone, and what they announced with them
  // (nothing in the data directory is deleted but by --fresh; an old process's directory holds a few small files).
  const instancesDirectory = join(options.dataDir, 'instances', instance);
  const pool = createLocalAgentPool({
    maxAgents: options.agents,
    settings: { ...options.agentSettings, secondsPerExpectedSecond: options.timeScale },
    instance,
    instances: { directory: instancesDirectory, slots: DEVNET_AGENTS_PER_INSTANCE },
    dependencies: (tier, agentId) =>
      agentDependencies(deps, { tier, agentId, backend, driver, ...(options.onAgentEvent ? { onEvent: options.onAgentEvent } : {}) }),
  });
  const capacity = {
    ...pool,
    start: async (tier: Tier, count: number, how: { spot: boolean; reason: string }) => (paused ? undefined : pool.start(tier, count, how)),
  };
  const deps = createRunDependencies(
    { store, queue, artifacts, capacity, targets, chain, clock: systemClock, log: options.log, stateRoots: devnetStateRoots(chain) },
    { runTtlMs: 500, maxPlans: 8 },
  );
  const { runs } = deps;
  const driver = createEmbeddedBlockRunDriver(deps, settings);

  let quotes: QuoteServer;
  try {
    // Recovery: the previous process's agents are gone, and its queues with them.
    const released = await store.releaseAllLeases();
    for (const run of await store.listRuns(ACTIVE_RUN_STATES)) {
      if (run.state === 'abandoned' || run.jobCount === 0) continue;
      const { plan } = await runs.get(run.runId);
      const enqueued = await enqueueReadyJobs(store, queue, plan, runDue(run, options.timeScale));
      options.onResumedRun?.(run.runId, await doneByTier(store, run.runId, plan));
      options.log.info('resuming block run', { runId: run.runId, state: run.state, enqueued, releasedLeases: released });
    }
    await driver.resumeAll();

    const answerQuote = quoteAnswerer(
      {
        chain,
        log: options.log,
        sign: async (terms) => (await signProverQuote(walletClient, { chainId: options.chain.id, rollup: options.rollup }, terms)).proverSignature,
        // Local agents start at once: the whole quota counts as up (no EC2 launch bucket on one machine).
        fleet: { targets, quotes: signedQuotes, quota: { agents: options.agents, utilisation: DEFAULT_FLEET_UTILISATION } },
      },
      {
        proverId: account.address,
        profile: options.profile,
        costModel: options.costModel,
        bond: options.bond,
        secondsPerExpectedSecond: options.timeScale,
        provisioningSeconds: 2,
        maxTxs: options.maxTxs,
      },
    );
    // Quote requests are admitted as on AWS: signed by a sequencer staked on L1, each once, within its allowance.
    const stakes = createSequencerStakes(publicClient, options.rollup);
    const ledger = createMemoryQuoteRequestLedger();
    quotes = await startQuoteServer({
      port: options.quotePort,
      log: options.log,
      authenticate: async (signed) =>
        authenticateQuoteRequest(signed, { chainId: options.chain.id, rollup: options.rollup, nowSeconds: await chain.latestTimestamp(), stakes, ledger }),
      answer: async (request) => (paused ? { refused: `${options.name} is paused`, reason: 'Paused' as const } : answerQuote(request)),
    });
  } catch (error) {
    // A firm that cannot start leaves nothing open behind it.
    await driver.stop().catch(() => undefined);
    await pool.stopAll().catch(() => undefined);
    await store.close().catch(() => undefined);
    await artifacts.close().catch(() => undefined);
    throw error;
  }

  const watchStop = new AbortController();
  const watchSettings = {
    cursorName: 'l1-watch',
    keepFinished: 32,
    policy: economicPolicy({
      mode: options.mode,
      proverId: account.address,
      profile: options.profile,
      costModel: options.costModel,
      secondsPerExpectedSecond: options.timeScale,
      provisioningSeconds: 2,
      fleetQuota: { agents: options.agents, utilisation: DEFAULT_FLEET_UTILISATION },
    }),
  };
  const watching = (async () => {
    while (!watchStop.signal.aborted) {
      if (!paused) {
        await watchL1({ store, targets, follower, chain, driver, clock: systemClock, log: options.log }, watchSettings).catch(
          (error: unknown): WatchTick | undefined => {
            options.log.warn('watcher tick failed; retrying', { firm: options.name, error: error instanceof Error ? error.message : String(error) });
            return undefined;
          },
        );
      }
      await systemClock.sleep(options.watchIntervalMs, watchStop.signal).catch(() => undefined);
    }
  })();

  return {
    name: options.name,
    proverId: account.address,
    quoteUrl: quotes.url,
    pool,
    simulated: backend.simulated,
    backendName: backend.name,
    get paused() {
      return paused;
    },
    async runs() {
      const all = await store.listRuns(['planned', 'provisioning', 'proving', 'submitting', 'confirmed', 'settled', 'abandoned']);
      return all.sort((a, b) => (a.blockNumber > b.blockNumber ? -1 : a.blockNumber < b.blockNumber ? 1 : 0));
    },
    async pause() {
      paused = true;
      await pool.stopAll();
    },
    resume() {
      paused = false;
    },
    async stop() {
      watchStop.abort();
      await watching;
      await quotes.close();
      await driver.stop();
      await pool.stopAll();
      await store.close();
      await targets.close();
      await artifacts.close();
    },
  };
}

/** Proofs of a run already done, per tier. */
async function doneByTier(store: LmdbJobStore, runId: string, plan: BlockPlan): Promise<Record<Tier, number>> {
  const done = { heavy: 0, light: 0 };
  for (const record of await store.jobRecords(runId)) {
    if (record.state !== 'done') continue;
    const kind = record.jobId.split('/')[1] ?? '';
    const tier = plan.profile.kinds[kind]?.tier;
    if (tier) done[tier]++;
  }
  return done;
}

function firmBackend(options: FirmOptions, account: ReturnType<typeof privateKeyToAccount>): ProverBackend {
  const prover = options.prover ?? { kind: 'simulated' };
  if (prover.kind === 'simulated') return createSimulatedProver({ clock: systemClock, timeScale: options.timeScale, attester: account });
  return createBarretenbergProver({
    circuits: prover.setup.circuits,
    bbBinary: prover.setup.bbBinary,
    timeoutMs: REAL_PROOF_TIMEOUT_MS,
    ...(prover.onProof ? { onProof: prover.onProof } : {}),
  });
}
