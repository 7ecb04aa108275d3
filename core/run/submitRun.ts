import { bytesToHex } from 'viem';
import { jobMessage } from '../jobs/jobMessage.js';
import { runDue } from '../jobs/urgency.js';
import { CorruptArtifactError, MissingArtifactError } from '../errors/index.js';
import { jobIdAt } from '../plan/jobAt.js';
import type { Bytes32 } from '../protocol/types.js';
import { abandonRun } from './abandonRun.js';
import type { RunDependencies, RunSettings } from './runDependencies.js';

export type SubmitOutcome =
  | { readonly kind: 'sent'; readonly txHash: Bytes32 }
  | { readonly kind: 'confirmed'; readonly why: string }
  | { readonly kind: 'wait'; readonly why: string }
  | { readonly kind: 'abandoned'; readonly reason: string }
  | { readonly kind: 'reproving'; readonly why: string }
  | { readonly kind: 'skipped'; readonly why: string };

const ZERO_ADDRESS = `0x${'0'.repeat(40)}`;

/**
 * The submit state. Reads the chain first, so it is idempotent: a proof already sent is never sent again, a block
 * already proven under our id is confirmed, a block proven by another firm, pruned, re-revealed with another body
 * or past its deadline is abandoned. It waits while the parent is unproven or the block is not yet open to us. The
 * deadline and window are L1's current ones (a late parent's proof moves them), and the run keeps the deadline it sent
 * against.
 */
export async function submitRun(deps: RunDependencies, settings: RunSettings, runId: string): Promise<SubmitOutcome> {
  const run = await deps.store.getRun(runId);
  if (!run || run.state !== 'submitting') return { kind: 'skipped', why: `run is ${run?.state ?? 'missing'}` };
  if (run.l1TxHash !== '') return { kind: 'sent', txHash: run.l1TxHash };

  const abandon = async (reason: string): Promise<SubmitOutcome> => {
    await abandonRun(deps, runId, reason);
    return { kind: 'abandoned', reason };
  };
  const block = await deps.chain.blockState(run.blockNumber);
  if (block.status === 'pruned') return abandon('the block was pruned before we submitted');
  if (block.status === 'unknown' || block.bodyHash !== run.bodyHash) return abandon('the revealed body changed (L1 reorg)');
  if (block.status === 'proven') {
    if (block.provenBy.toLowerCase() === run.proverId.toLowerCase()) {
      await deps.store.transitionRun(runId, ['submitting'], 'confirmed', {}, deps.clock.now());
      return { kind: 'confirmed', why: 'already proven under our prover id' };
    }
    return abandon(`proven first by ${block.provenBy}`);
  }
  const now = await deps.chain.latestTimestamp();
  if (now >= block.provingDeadline) return abandon('the proving deadline passed before submission');
  const parent = await deps.chain.blockState(run.parentBlock);
  if (parent.status !== 'proven') return { kind: 'wait', why: `parent block ${run.parentBlock} is not proven yet` };
  // Rollup.submitProof refuses anyone but the committed prover before exclusiveUntil; with nobody committed, that is
  // the end of the commit phase.
  if (now < block.exclusiveUntil && block.committedProver.toLowerCase() !== run.proverId.toLowerCase()) {
    const holder = block.committedProver === ZERO_ADDRESS ? 'the commit phase (nobody committed)' : `prover ${block.committedProver}`;
    return { kind: 'wait', why: `${holder} has the exclusive window until ${block.exclusiveUntil}` };
  }

  let proof: Uint8Array;
  try {
    proof = await deps.artifacts.get(run.rootDigest);
  } catch (error) {
    if (!(error instanceof CorruptArtifactError || error instanceof MissingArtifactError)) throw error;
    return reproveRoot(deps, settings, runId, run.rootDigest, error.message);
  }
  const txHash = await deps.chain.submitProof({
    publicInputs: {
      blockNumber: run.blockNumber,
      proverId: run.proverId,
      bodyHash: run.bodyHash,
      parentStateRoot: run.parentStateRoot,
      newStateRoot: run.newStateRoot,
    },
    proof: bytesToHex(proof),
    deadline: block.provingDeadline,
  });
  // Recorded before anything else, so a crash from here on never sends a second proof.
  const sent = { l1TxHash: txHash, provingDeadline: block.provingDeadline, exclusiveUntil: block.exclusiveUntil };
  await deps.store.transitionRun(runId, ['submitting'], 'submitting', sent, deps.clock.now());
  deps.log.info('submitted root proof', { runId, blockNumber: run.blockNumber, txHash });
  return { kind: 'sent', txHash };
}

/** The stored root proof failed its digest check: it is never sent; the root is proven again. */
async function reproveRoot(deps: RunDependencies, settings: RunSettings, runId: string, digest: string, why: string): Promise<SubmitOutcome> {
  const { run, plan } = await deps.runs.get(runId);
  const rootId = jobIdAt(plan, plan.rootIndex);
  deps.log.warn('root proof failed its digest check; proving it again', { runId, digest, why });
  await deps.store.transitionRun(runId, ['submitting'], 'proving', { rootDigest: '', rootProvenAt: 0 }, deps.clock.now());
  if (await deps.store.invalidateProof(runId, rootId, digest, null)) {
    const { tier, message } = jobMessage(plan, plan.rootIndex, runDue(run, settings.scaling.secondsPerExpectedSecond));
    await deps.queue.send(tier, [message]);
  }
  return { kind: 'reproving', why };
}
