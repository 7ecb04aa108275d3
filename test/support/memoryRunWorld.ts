import { createMemoryFleetTargets } from '../../adapters/embedded/memoryFleetTargets.js';
import { createMemoryWorkQueue } from '../../adapters/embedded/memoryWorkQueue.js';
import type { BlockBody } from '../../core/body/blockBody.js';
import { syntheticBlockBody } from '../../core/body/syntheticBlockBody.js';
import type { BlockPlan } from '../../core/plan/blockPlan.js';
import type { BlockRunRequest } from '../../core/ports/blockRunDriver.js';
import type { Logger } from '../../core/ports/logger.js';
import type { ProvingRun, RunPatch, RunState } from '../../core/ports/provingRun.js';
import { devnetStateRoots } from '../../core/protocol/devnetStateRoots.js';
import type { Address } from '../../core/protocol/types.js';
import type { Tier } from '../../core/tiers.js';
import type { JobMessage, WorkQueue } from '../../core/ports/workQueue.js';
import { planRun } from '../../core/run/planRun.js';
import { createRunDependencies, type RunSettings } from '../../core/run/runDependencies.js';
import { emptyControlPlaneCounts } from '../../sim/world/controlPlaneMeter.js';
import { delayedPort } from '../../sim/world/delayedPort.js';
import { createSimJobStore } from '../../sim/world/simJobStore.js';
import { countingCapacity } from './countingCapacity.js';
import { fakeRollupChain } from './fakeRollupChain.js';
import { manualClock } from './manualClock.js';
import { memoryArtifactStore } from './memoryArtifactStore.js';
import { revealBlock } from './revealBlock.js';

/** Our prover id in unit tests. */
export const OUR_PROVER: Address = '0x00000000000000000000000000000000000000aa';
/** Another firm's. */
export const OTHER_PROVER: Address = '0x00000000000000000000000000000000000000bb';

export interface LogLine {
  readonly level: keyof Logger;
  readonly message: string;
  readonly fields: Record<string, unknown>;
}

/** A logger that keeps every line, for tests where the log line is what the operator would notice. */
export function recordingLogger(): Logger & { readonly lines: LogLine[] } {
  const lines: LogLine[] = [];
  const at = (level: keyof Logger) => (message: string, fields: Record<string, unknown> = {}) => void lines.push({ level, message, fields });
  return { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

/** A small block: 2 txs with one public call each (2 VMs, 2 kernels, 2 bases, the root). */
export const smallBody = (seed = 'unit'): BlockBody => syntheticBlockBody({ txs: 2, publicCalls: { kind: 'fixed', calls: 1 }, seed });

/**
 * A block run's ports in memory for unit tests of `core/run` and `core/agent`: the job store's real transition rules
 * over a map, in-process queues, a digest-checking artifact map, a counting fleet and the fake rollup, on a clock
 * that moves only when the test moves it.
 */
export function memoryRunWorld() {
  const clock = manualClock();
  const store = delayedPort(createSimJobStore(emptyControlPlaneCounts()));
  const artifacts = memoryArtifactStore();
  const queue = createMemoryWorkQueue({ clock, maxReceiveCount: 5 });
  const capacity = countingCapacity();
  const targets = createMemoryFleetTargets();
  const chain = fakeRollupChain(OUR_PROVER);
  const log = recordingLogger();
  const deps = createRunDependencies(
    { store, queue, artifacts, capacity, targets, chain, clock, log, stateRoots: devnetStateRoots(chain) },
    { runTtlMs: 0, maxPlans: 4 },
  );
  const { runs } = deps;
  const settings: RunSettings = {
    proverId: OUR_PROVER,
    profile: 'rfp-2023',
    maxTxs: 1_024,
    confirmations: 1,
    scaling: {
      minAgents: { heavy: 0, light: 0 },
      maxAgents: { heavy: 8, light: 8 },
      horizonSeconds: 60,
      urgentSlackSeconds: 0,
      secondsPerExpectedSecond: 1,
    },
    rescaleMs: 1_000,
    submitRetryMs: 500,
  };

  /** Reveals `body` as `blockNumber`, committed to us, and returns the request the watcher would make. */
  const reveal = (blockNumber: bigint, body: BlockBody = smallBody(), overrides: Partial<BlockRunRequest> = {}) =>
    revealBlock(chain, OUR_PROVER, blockNumber, body, overrides);

  /** Reveals and plans a block: its run is recorded as planned and its leaves are queued. */
  async function planned(blockNumber = 1n, body: BlockBody = smallBody(), overrides: Partial<BlockRunRequest> = {}) {
    const request = reveal(blockNumber, body, overrides);
    const run = await planRun(deps, settings, request);
    const { plan } = await runs.get(run.runId);
    return { request, run, plan };
  }

  /** Plans a block and moves its run straight to `state` with `patch` (as if the states before it had run). */
  async function runIn(
    state: RunState,
    patch: RunPatch = {},
    blockNumber = 1n,
  ): Promise<{ request: BlockRunRequest; run: ProvingRun; plan: BlockPlan }> {
    const { request, plan } = await planned(blockNumber);
    const run = await store.transitionRun(request.runId, ['planned'], state, patch, clock.now());
    return { request, run: run!, plan };
  }

  return { clock, store, artifacts, queue, capacity, targets, chain, log, runs, deps, settings, reveal, planned, runIn };
}

export type MemoryRunWorld = ReturnType<typeof memoryRunWorld>;

/** The world with its queue recording each send (tier and batch); `sent(tier)` lists the job ids sent to a tier. */
export function recordingSends<W extends { readonly queue: WorkQueue }>(w: W) {
  const sends: { tier: Tier; messages: readonly JobMessage[] }[] = [];
  const send = w.queue.send.bind(w.queue);
  w.queue.send = async (tier, messages) => {
    sends.push({ tier, messages });
    return send(tier, messages);
  };
  return { ...w, sends, sent: (tier: Tier) => sends.filter((s) => s.tier === tier).flatMap((s) => s.messages.map((m) => m.jobId)) };
}
