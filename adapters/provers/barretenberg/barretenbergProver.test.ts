import { beforeAll, describe, expect, it } from 'vitest';
import { syntheticBlockBody } from '../../../core/body/syntheticBlockBody.js';
import { InvalidChildProofError } from '../../../core/errors/index.js';
import { jobAt, jobIdAt } from '../../../core/plan/jobAt.js';
import { planBlock } from '../../../core/plan/planBlock.js';
import type { BlockPlan } from '../../../core/plan/blockPlan.js';
import type { ProofRequest } from '../../../core/ports/proverBackend.js';
import { noirTree } from '../../../core/profiles/noirTree.js';
import { describeProverBackendContract } from '../../../test/contracts/proverBackend.contract.js';
import { createBarretenbergProver } from './barretenbergProver.js';
import { defaultCacheDirectory } from './cacheDirectory.js';
import { NoirCircuitError } from '../errors/proverErrors.js';
import { prepareNoirTree, type NoirTreeSetup } from './noirTreeSetup.js';
import { decodeChildProof, encodeChildProof, toFields } from './proofArtifact.js';

// The first run on a machine makes the development SRS and builds the circuits (minutes); later runs reuse them.
const SETUP_MS = 30 * 60_000;
const TX_PROOFS_MS = 5 * 60_000;

let setup: NoirTreeSetup;
beforeAll(async () => {
  setup = await prepareNoirTree({ cacheDirectory: defaultCacheDirectory(), srs: 'development' });
}, SETUP_MS);

const plan = planBlock(syntheticBlockBody({ txs: 2, publicCalls: { kind: 'fixed', calls: 1 }, seed: 'backend' }), noirTree, { blockId: 'b' });

/** Job `index` of `plan` as an agent hands it to the backend. */
function requestFor(p: BlockPlan, index: number, overrides: Partial<ProofRequest> = {}): ProofRequest {
  const job = jobAt(p, index);
  return {
    runId: p.blockId,
    jobId: jobIdAt(p, index),
    kind: job.kind,
    tier: job.tier,
    expectedSeconds: job.expectedSeconds,
    childProofs: [],
    inputs: { ...job.inputs, ...noirTree.proverInputs!(p, index) },
    signal: new AbortController().signal,
    ...overrides,
  };
}

const prover = (bbBinary?: string) =>
  createBarretenbergProver({ circuits: setup.circuits, bbBinary: bbBinary ?? setup.bbBinary, timeoutMs: TX_PROOFS_MS });

describeProverBackendContract('barretenberg (noir-tree tx proofs)', () => ({
  backend: prover(),
  // bb that exits 1 on everything.
  failing: prover('/bin/false'),
  jobs: { job: requestFor(plan, plan.txFirstJob[0]!), other: requestFor(plan, plan.txFirstJob[1]!) },
}), { timeoutMs: TX_PROOFS_MS });

describe('the Barretenberg backend', () => {
  it('publishes where a tx proof sits in the block and the sponge it moved, with a 410-field proof', async () => {
    const child = decodeChildProof(await prover().prove(requestFor(plan, plan.txFirstJob[1]!)));
    const [start, end, spongeBefore, spongeAfter, mergeKey] = toFields(child.publicInputs);
    expect([BigInt(start!), BigInt(end!), BigInt(mergeKey!)]).toEqual([1n, 2n, 0n]);
    expect(spongeBefore).not.toBe(spongeAfter);
    expect(child.proof).toHaveLength(410 * 32);
  }, TX_PROOFS_MS);

  it('checks the children it is handed and names the one that does not verify, before proving anything', async () => {
    const backend = prover();
    const first = await backend.prove(requestFor(plan, plan.txFirstJob[0]!));
    const second = await backend.prove(requestFor(plan, plan.txFirstJob[1]!));
    const decoded = decodeChildProof(second);
    const tampered = decoded.proof.slice();
    tampered[200 * 32 + 31]! ^= 1;
    const root = requestFor(plan, plan.rootIndex, {
      childProofs: [first, encodeChildProof({ publicInputs: decoded.publicInputs, proof: tampered })],
      rootPublicInputs: { blockNumber: 1n, proverId: '0x70997970C51812dc3A010C7d01b50e0d17dc79C8', bodyHash: `0x${'00'.repeat(32)}`, parentStateRoot: `0x${'00'.repeat(32)}`, newStateRoot: `0x${'00'.repeat(32)}` },
    });
    const error = await backend.prove(root).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InvalidChildProofError);
    expect(error).toMatchObject({ childIndex: 1 });
    // Children that verify but a root that does not match the body fail in the witness, before bb proves.
    const unbound = await backend.prove({ ...root, childProofs: [first, second] }).catch((caught: unknown) => caught);
    expect(unbound).toBeInstanceOf(NoirCircuitError);
    expect((unbound as Error).message).toContain('body hash mismatch');
  }, TX_PROOFS_MS);
});
