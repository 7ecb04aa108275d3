// `npm run bench:proofs`: real noir-tree proofs on this machine, written to bench/results/real-proofs.json. It times
// the one-off setup (the development SRS and the circuits, in a fresh cache unless BENCH_REUSE_SETUP=1), proves a 4-tx
// and an 8-tx block through the orchestrator (local agents: heavy=1, light=2) to an in-process L1 that verifies them,
// and reports per proof kind the prove time and bb's peak memory, proof and key sizes, and the gas L1 pays.
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { findBbBinary } from '@aztec/bb.js/platform';
import { bytesToHex, parseEther } from 'viem';
import { createBarretenbergProver, type ProofStats } from '../adapters/provers/barretenberg/barretenbergProver.js';
import { bbVersion } from '../adapters/provers/barretenberg/bbCli.js';
import { defaultCacheDirectory } from '../adapters/provers/barretenberg/cacheDirectory.js';
import { buildNoirTreeCircuits, type NoirTreeCircuitName } from '../adapters/provers/barretenberg/noirTreeCircuits.js';
import { ensureDevelopmentSrs } from '../adapters/provers/barretenberg/srs/developmentSrs.js';
import { noirTreeRootVerifierAbi } from '../contracts/artifacts/noirTreeRootVerifier.js';
import { slotAt } from '../core/protocol/slotSchedule.js';
import { encodeRootPublicInputs } from '../core/protocol/publicInputs.js';
import { depositToEscrow } from '../l1/escrow/escrowActions.js';
import { startProtocolFixture } from '../l1/testing/protocolFixture.js';
import { stakeSequencers } from '../l1/testing/protocolSteps.js';
import { revealCommittedBlock } from '../test/support/committedBlock.js';
import { embeddedHarness } from '../test/support/embeddedHarness.js';
import { writeResult } from './writeResult.js';

const BLOCK_SIZES = [4, 8];
const PROVER = 4;
const loadBefore = loadavg();
const bbBinary = findBbBinary()!;

// The one-off setup, timed from nothing unless asked to reuse the machine's cache.
const reuse = process.env.BENCH_REUSE_SETUP === '1';
const cacheDirectory = reuse ? defaultCacheDirectory() : mkdtempSync(join(tmpdir(), 'pb-bench-cache-'));
let mark = performance.now();
const srs = await ensureDevelopmentSrs({ cacheDirectory, bbBinary });
const srsMs = Math.round(performance.now() - mark);
// Each log line starts a step; a step lasts until the next line (or the end).
const steps: Record<string, number> = {};
mark = performance.now();
let step: { name: string; since: number } | undefined;
const endStep = (now: number) => {
  if (step) steps[step.name] = Math.round(now - step.since) / 1000;
};
const circuits = await buildNoirTreeCircuits({
  cacheDirectory,
  srs,
  bbBinary,
  log: (message) => {
    const now = performance.now();
    endStep(now);
    step = { name: message, since: now };
  },
});
endStep(performance.now());
const circuitsMs = Math.round(performance.now() - mark);

// Blocks through the orchestrator to L1.
const f = await startProtocolFixture(
  { exclusiveWindowSeconds: 7_200, provingDeadlineSeconds: 14_400, escrowWithdrawalDelaySeconds: 28_800, maxPendingBlocks: 160 },
  { proofSystem: 'noir-tree-honk-development-srs' },
);
const [, sequencer] = f.wallets;
const prover = f.wallets[PROVER]!;
await stakeSequencers(f, [sequencer!]);
await depositToEscrow(prover, f.deployment.escrow, parseEther('10'));
const proofs: ProofStats[] = [];
const harness = embeddedHarness({
  backend: () => createBarretenbergProver({ circuits, bbBinary, timeoutMs: 60 * 60_000, onProof: (stats) => proofs.push(stats) }),
  rollupChain: f.rollupChain(prover),
  profile: 'noir-tree',
  proverKey: f.chain.accounts[PROVER]!,
  timeScale: 1,
  agents: { heavy: 1, light: 2 },
});
const blocks = [];
let verifyGas = 0;
for (const txs of BLOCK_SIZES) {
  const slot = slotAt(f.parameters, await f.latestTimestamp()) + 1n;
  const request = await revealCommittedBlock(f, { slot, txs, sequencer: sequencer!, prover, seed: `bench ${txs}` });
  await harness.driver.start(request);
  const run = await harness.waitForRun(request.runId, (r) => r.state === 'settled' || r.state === 'abandoned', 4 * 60 * 60_000);
  if (run.state !== 'settled') throw new Error(`the ${txs}-tx block was abandoned: ${run.stateReason}`);
  const receipt = await f.publicClient.getTransactionReceipt({ hash: run.l1TxHash as `0x${string}` });
  const rootProof = await harness.artifacts.get(run.rootDigest);
  verifyGas = Number(
    await f.publicClient.estimateContractGas({
      address: f.deployment.verifier,
      abi: noirTreeRootVerifierAbi,
      functionName: 'verify',
      args: [encodeRootPublicInputs({ ...run }), bytesToHex(rootProof)],
    }),
  );
  blocks.push({ txs, jobs: run.jobCount, planToRootSeconds: (run.rootProvenAt - run.createdAt) / 1000, submitProofGas: Number(receipt.gasUsed) });
}
await harness.close();
await f.chain.stop();
if (!reuse) rmSync(cacheDirectory, { recursive: true, force: true });

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)]!;
};
const kinds = Object.fromEntries(
  (['tx', 'merge', 'root'] as NoirTreeCircuitName[]).map((kind) => {
    const of = proofs.filter((stats) => stats.kind === kind);
    const circuit = circuits[kind];
    return [
      kind,
      {
        proofs: of.length,
        target: circuit.target,
        proveSeconds: { median: median(of.map((s) => s.proveMs)) / 1000, max: Math.max(...of.map((s) => s.proveMs)) / 1000 },
        witnessMs: median(of.map((s) => s.witnessMs)),
        verifyMs: median(of.map((s) => s.verifyMs)),
        peakMemoryMb: Math.max(...of.map((s) => s.peakRssMb ?? 0)),
        proofBytes: of[0]?.proofBytes ?? 0,
        vkBytes: circuit.vk.length,
      },
    ];
  }),
);
writeResult('real-proofs', {
  note: 'DEVELOPMENT SRS (tau = 2): the circuits and proofs are real; only the setup is insecure. Shared 2-core machine: see loadAverage.',
  machine: { cpus: availableParallelism(), loadAverage: { before: loadBefore.map(round1), after: loadavg().map(round1) }, node: process.version, bb: await bbVersion(bbBinary) },
  setup: { reused: reuse, srsGenerationSeconds: srsMs / 1000, srsPoints: srs.points, circuitBuildSeconds: circuitsMs / 1000, circuitBuildStepSeconds: steps },
  kinds,
  blocks,
  verifyGas,
});

function round1(value: number): number {
  return Math.round(value * 10) / 10;
}
