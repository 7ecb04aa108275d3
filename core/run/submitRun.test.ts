import { describe, expect, it } from 'vitest';
import { jobIdAt } from '../plan/jobAt.js';
import { memoryRunWorld, OTHER_PROVER, OUR_PROVER } from '../../test/support/memoryRunWorld.js';
import { submitRun } from './submitRun.js';

const ROOT_PROOF = new TextEncoder().encode('the root proof');

/** A run whose root is proven and stored, in the submit state; the block is revealed and its parent (genesis) proven. */
async function submitting() {
  const world = memoryRunWorld();
  const rootDigest = await world.artifacts.put(ROOT_PROOF);
  const { run, plan } = await world.runIn('submitting', { rootDigest });
  const submit = () => submitRun(world.deps, world.settings, run.runId);
  const submitted = () => world.chain.calls.get('submitProof') ?? 0;
  return { world, run, plan, rootDigest, submit, submitted };
}

describe('submitRun', () => {
  it('sends the root proof with its public inputs and records the transaction before anything else', async () => {
    const { world, run, submit } = await submitting();
    const outcome = await submit();
    expect(outcome.kind).toBe('sent');
    expect(world.chain.submissions).toHaveLength(1);
    expect(world.chain.submissions[0]).toMatchObject({
      publicInputs: {
        blockNumber: run.blockNumber,
        proverId: OUR_PROVER,
        bodyHash: run.bodyHash,
        parentStateRoot: run.parentStateRoot,
        newStateRoot: run.newStateRoot,
      },
      proof: `0x${Buffer.from(ROOT_PROOF).toString('hex')}`,
      deadline: run.provingDeadline,
    });
    const stored = await world.store.getRun(run.runId);
    expect(stored).toMatchObject({ state: 'submitting', l1TxHash: outcome.kind === 'sent' ? outcome.txHash : 'none' });
  });

  it('never sends a second proof once one was sent, whatever the chain says', async () => {
    const { world, run, submit, submitted } = await submitting();
    const first = await submit();
    // The chain forgets the proof (a reorg, say): the recorded transaction still stands; confirm decides.
    world.chain.setState(run.blockNumber, { status: 'revealed' });
    expect(await submit()).toEqual(first);
    expect(submitted()).toBe(1);
  });

  it('skips a run that is not submitting, or does not exist', async () => {
    const { world, run, submitted } = await submitting();
    await world.store.transitionRun(run.runId, ['submitting'], 'proving', {}, world.clock.now());
    expect(await submitRun(world.deps, world.settings, run.runId)).toEqual({ kind: 'skipped', why: 'run is proving' });
    expect(await submitRun(world.deps, world.settings, 'b9-none')).toEqual({ kind: 'skipped', why: 'run is missing' });
    expect(submitted()).toBe(0);
  });

  it('abandons a pruned block without sending, and releases the agents', async () => {
    const { world, run, submit, submitted } = await submitting();
    world.capacity.agents.light = { running: 3, starting: 0 };
    world.chain.setState(run.blockNumber, { status: 'pruned' });
    expect(await submit()).toEqual({ kind: 'abandoned', reason: 'the block was pruned before we submitted' });
    expect(await world.store.getRun(run.runId)).toMatchObject({ state: 'abandoned', stateReason: 'the block was pruned before we submitted' });
    expect(await world.targets.get('light')).toMatchObject({ agents: 0, observed: 3 });
    expect(submitted()).toBe(0);
  });

  it('abandons when the block now carries another body, or is no longer known (an L1 reorg)', async () => {
    for (const patch of [{ bodyHash: `0x${'77'.repeat(32)}` as const }, { status: 'unknown' as const }]) {
      const { world, run, submit, submitted } = await submitting();
      world.chain.setState(run.blockNumber, patch);
      expect(await submit()).toEqual({ kind: 'abandoned', reason: 'the revealed body changed (L1 reorg)' });
      expect((await world.store.getRun(run.runId))?.state).toBe('abandoned');
      expect(submitted()).toBe(0);
    }
  });

  it('confirms a block already proven under our prover id, however the address is cased', async () => {
    const { world, run, submit, submitted } = await submitting();
    world.chain.setState(run.blockNumber, { status: 'proven', provenBy: OUR_PROVER.toUpperCase().replace('0X', '0x') as typeof OUR_PROVER });
    expect(await submit()).toEqual({ kind: 'confirmed', why: 'already proven under our prover id' });
    expect((await world.store.getRun(run.runId))?.state).toBe('confirmed');
    expect(submitted()).toBe(0);
  });

  it('abandons a block another firm proved first', async () => {
    const { world, run, submit, submitted } = await submitting();
    world.chain.setState(run.blockNumber, { status: 'proven', provenBy: OTHER_PROVER });
    expect(await submit()).toEqual({ kind: 'abandoned', reason: `proven first by ${OTHER_PROVER}` });
    expect(await world.store.getRun(run.runId)).toMatchObject({ state: 'abandoned', stateReason: `proven first by ${OTHER_PROVER}` });
    expect(submitted()).toBe(0);
  });

  it("gives up at the deadline by L1's clock without sending, and sends a second before it", async () => {
    const late = await submitting();
    late.world.chain.now = late.run.provingDeadline;
    expect(await late.submit()).toEqual({ kind: 'abandoned', reason: 'the proving deadline passed before submission' });
    expect((await late.world.store.getRun(late.run.runId))?.stateReason).toBe('the proving deadline passed before submission');
    expect(late.submitted()).toBe(0);

    const justInTime = await submitting();
    justInTime.world.chain.now = justInTime.run.provingDeadline - 1;
    expect((await justInTime.submit()).kind).toBe('sent');
  });

  it('waits, without sending, while the parent block is unproven', async () => {
    const { world, run, submit, submitted } = await submitting();
    world.chain.setState(run.parentBlock, { status: 'revealed' });
    expect(await submit()).toEqual({ kind: 'wait', why: `parent block ${run.parentBlock} is not proven yet` });
    expect((await world.store.getRun(run.runId))?.state).toBe('submitting');
    expect(submitted()).toBe(0);
  });

  it("waits out another prover's exclusive window, then sends at its first second", async () => {
    const { world, run, submit, submitted } = await submitting();
    const until = world.chain.now + 30;
    world.chain.setState(run.blockNumber, { committedProver: OTHER_PROVER, exclusiveUntil: until });
    expect(await submit()).toEqual({ kind: 'wait', why: `prover ${OTHER_PROVER} has the exclusive window until ${until}` });
    world.chain.now = until - 1;
    expect((await submit()).kind).toBe('wait');
    expect(submitted()).toBe(0);
    world.chain.now = until;
    expect((await submit()).kind).toBe('sent');
  });

  it('does not wait for its own exclusive window, however the address is cased', async () => {
    const { world, run, submit } = await submitting();
    world.chain.setState(run.blockNumber, { committedProver: OUR_PROVER.toUpperCase().replace('0X', '0x') as typeof OUR_PROVER, exclusiveUntil: world.chain.now + 30 });
    expect((await submit()).kind).toBe('sent');
  });

  it('waits for the commit phase to end when nobody committed (the contract refuses proofs until then)', async () => {
    const { world, run, submit, submitted } = await submitting();
    const commitEnd = world.chain.now + 4;
    world.chain.setState(run.blockNumber, { committedProver: `0x${'0'.repeat(40)}`, exclusiveUntil: commitEnd });
    expect(await submit()).toEqual({ kind: 'wait', why: `the commit phase (nobody committed) has the exclusive window until ${commitEnd}` });
    expect(submitted()).toBe(0);
    world.chain.now = commitEnd;
    expect((await submit()).kind).toBe('sent');
  });

  it('never sends a corrupt root proof: the root is invalidated, queued again and the run goes back to proving', async () => {
    for (const damage of ['corrupt', 'remove'] as const) {
      const { world, run, plan, rootDigest, submit, submitted } = await submitting();
      const rootId = jobIdAt(plan, plan.rootIndex);
      await world.store.completeJob(run.runId, rootId, rootDigest, world.clock.now());
      world.artifacts[damage](rootDigest);
      const outcome = await submit();
      expect(outcome.kind).toBe('reproving');
      expect(outcome.kind === 'reproving' && outcome.why).toContain(rootDigest);
      expect(await world.store.getRun(run.runId)).toMatchObject({ state: 'proving', rootDigest: '', rootProvenAt: 0 });
      expect(await world.store.getJob(run.runId, rootId)).toMatchObject({ state: 'waiting', digest: '' });
      const [delivery] = await world.queue.receive('light', { max: 20, waitMs: 0, visibilityMs: 1_000 }).then((all) =>
        all.filter((d) => d.message.jobId === rootId),
      );
      expect(delivery?.message).toMatchObject({ runId: run.runId, jobId: rootId, jobIndex: plan.rootIndex });
      expect(submitted()).toBe(0);
    }
  });

  it('does not queue the root again when its proof was already replaced', async () => {
    const { world, run, plan, rootDigest, submit } = await submitting();
    const rootId = jobIdAt(plan, plan.rootIndex);
    await world.store.completeJob(run.runId, rootId, 'sha256:another', world.clock.now());
    world.artifacts.corrupt(rootDigest);
    expect((await submit()).kind).toBe('reproving');
    const queued = await world.queue.receive('light', { max: 20, waitMs: 0, visibilityMs: 1_000 });
    expect(queued.map((d) => d.message.jobId)).not.toContain(rootId);
    expect((await world.store.getJob(run.runId, rootId))?.digest).toBe('sha256:another');
  });

  it('lets any other artifact failure through (the step is retried)', async () => {
    const { world, submit } = await submitting();
    world.artifacts.get = () => Promise.reject(new Error('S3 is down'));
    await expect(submit()).rejects.toThrow('S3 is down');
  });
});
