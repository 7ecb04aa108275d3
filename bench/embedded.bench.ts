import { createMemoryFleetTargets } from '../adapters/embedded/memoryFleetTargets.js';
// Proves one block through the embedded store (LMDB), artifact directory, in-process queues and the real agent loop
// with a zero-duration simulated prover: the orchestration overhead per proof, without proving time.
import { agentDependencies } from '../core/agent/agentDependencies.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { privateKeyToAccount } from 'viem/accounts';
import { createLocalAgentPool } from '../adapters/embedded/localAgentPool.js';
import { openFileArtifactStore } from '../adapters/embedded/fileArtifactStore.js';
import { openLmdbJobStore } from '../adapters/embedded/lmdbJobStore.js';
import { createMemoryWorkQueue } from '../adapters/embedded/memoryWorkQueue.js';
import { systemClock } from '../adapters/embedded/systemClock.js';
import { createSimulatedProver } from '../adapters/provers/simulatedProver.js';
import { createRunContexts } from '../core/run/runContexts.js';
import { DEFAULT_AGENT_SETTINGS } from '../core/agent/agentSettings.js';
import { encodeBlockBodyBytes } from '../core/body/encodeBlockBody.js';
import { syntheticBlockBody } from '../core/body/syntheticBlockBody.js';
import { planBlock } from '../core/plan/planBlock.js';
import { rfp2023 } from '../core/profiles/rfp2023.js';
import { silentLogger } from '../core/ports/logger.js';
import { enqueueReadyLeaves } from '../core/jobs/enqueueReadyJobs.js';
import { runDue } from '../core/jobs/urgency.js';
import { sampleRun } from '../test/support/sampleRun.js';
import { peakRssMb, writeResult } from './writeResult.js';

const txs = Number(process.env.BENCH_TXS ?? 10240);
const agentsPerTier = Number(process.env.BENCH_AGENTS ?? 64);
const directory = mkdtempSync(join(tmpdir(), 'pb-bench-'));
const store = openLmdbJobStore(join(directory, 'store'));
const artifacts = openFileArtifactStore(join(directory, 'artifacts'));
const queue = createMemoryWorkQueue({ clock: systemClock, maxReceiveCount: 5 });
const attester = privateKeyToAccount('0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d');

const body = syntheticBlockBody({ txs, publicCalls: { kind: 'fixed', calls: 2 }, seed: 'bench' });
const bodyDigest = await artifacts.put(encodeBlockBodyBytes(body));
const plan = planBlock(body, rfp2023, { blockId: 'bench', trusted: true });
const run = sampleRun({ runId: 'bench', bodyDigest, txCount: txs, jobCount: plan.size, state: 'proving', proverId: attester.address });
await store.createRun(run);

let rootProven: () => void = () => undefined;
const finished = new Promise<void>((resolve) => (rootProven = resolve));
const runs = createRunContexts({ store, artifacts, clock: systemClock, runTtlMs: 60_000, maxPlans: 2 });
const backend = createSimulatedProver({ clock: systemClock, timeScale: 0, attester });
const driver = { start: async () => true, rootProven: async () => rootProven(), fail: async (_: string, reason: string) => { throw new Error(reason); } };
// Proofs take no time here (time scale 0), so every job's latest start is its run's deadline.
const agentSettings = { ...DEFAULT_AGENT_SETTINGS, waitMs: 50, secondsPerExpectedSecond: 0 };
const pool = createLocalAgentPool({
  maxAgents: { heavy: agentsPerTier, light: agentsPerTier },
  settings: agentSettings,
  instance: 'bench',
  dependencies: (tier, agentId) =>
    agentDependencies({ store, queue, artifacts, clock: systemClock, runs, targets: createMemoryFleetTargets(), log: silentLogger }, { tier, agentId, backend, driver }),
});

await runs.get('bench');
const started = performance.now();
await enqueueReadyLeaves(queue, plan, runDue(run, agentSettings.secondsPerExpectedSecond));
await pool.start('heavy', agentsPerTier, { spot: true, reason: 'bench' });
await pool.start('light', agentsPerTier, { spot: true, reason: 'bench' });
await finished;
const seconds = (performance.now() - started) / 1000;
await pool.stopAll();
await store.close();
await artifacts.close();
rmSync(directory, { recursive: true, force: true });

writeResult('embedded', {
  jobs: plan.size,
  seconds: Math.round(seconds * 100) / 100,
  jobsPerSecond: Math.round(plan.size / seconds),
  txs,
  agentsPerTier,
  peakRssMb: peakRssMb(),
});
