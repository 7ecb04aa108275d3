import { afterEach, describe, expect, it, vi } from 'vitest';
import { syntheticBlockBody } from '../../core/body/syntheticBlockBody.js';
import { encodeBlockBody } from '../../core/body/encodeBlockBody.js';
import { planBlock } from '../../core/plan/planBlock.js';
import { rfp2023 } from '../../core/profiles/rfp2023.js';
import { recoverMessageAddress, bytesToHex } from 'viem';
import { hashRootPublicInputs } from '../../core/protocol/publicInputs.js';
import { embeddedHarness, type EmbeddedHarness } from '../support/embeddedHarness.js';

const body = (txs: number, calls: number, seed = 'b') => syntheticBlockBody({ txs, publicCalls: { kind: 'fixed', calls }, seed });

describe('a block run on the embedded stack', () => {
  let harness: EmbeddedHarness;
  afterEach(async () => harness?.close());

  it('plans, proves every job once, submits the root under our prover id and settles', async () => {
    harness = embeddedHarness();
    const request = harness.reveal(1n, body(12, 2));
    expect(await harness.driver.start(request)).toBe(true);
    expect(await harness.driver.start(request)).toBe(false);
    const run = await harness.waitForRun(request.runId, (r) => r.state === 'settled');

    expect(run).toMatchObject({ txCount: 12, jobCount: 12 * 5 + 10 + 1, state: 'settled', stateReason: '' });
    const completions = harness.completions();
    expect(completions.size).toBe(run.jobCount);
    expect([...completions.values()].every((count) => count === 1)).toBe(true);
    expect(harness.chain.submissions).toHaveLength(1);
    const [submission] = harness.chain.submissions;
    expect(submission!.publicInputs).toMatchObject({ blockNumber: 1n, proverId: harness.proverId, bodyHash: request.bodyHash });
    const signer = await recoverMessageAddress({ message: { raw: hashRootPublicInputs(submission!.publicInputs) }, signature: submission!.proof });
    expect(signer).toBe(harness.proverId);
    expect(bytesToHex(await harness.artifacts.get(run.rootDigest))).toBe(submission!.proof);
  });

  it('refuses a revealed body over the limit: the run is abandoned with the reason, nothing else stops', async () => {
    harness = embeddedHarness();
    const oversized = harness.reveal(1n, body(9, 0));
    const fine = harness.reveal(2n, body(4, 1, 'fine'), { parentBlock: 0n });
    harness.chain.setState(2n, { parentBlock: 0n });
    const small = { ...harness.settings, maxTxs: 8 };
    const limited = (await import('../../adapters/embedded/embeddedBlockRunDriver.js')).createEmbeddedBlockRunDriver(harness.deps, small);
    await limited.start(oversized);
    await limited.start(fine);
    const refused = await harness.waitForRun(oversized.runId, (r) => r.state === 'abandoned');
    expect(refused.stateReason).toContain('BlockTooLargeError');
    expect(refused.stateReason).toContain('9 txs, more than the maximum of 8');
    expect((await harness.waitForRun(fine.runId, (r) => r.state === 'settled')).state).toBe('settled');
    await limited.stop();
  });

  it('refuses a body whose bytes do not match the revealed hash', async () => {
    harness = embeddedHarness();
    const request = harness.reveal(1n, body(4, 1));
    const run = await (async () => {
      await harness.driver.start({ ...request, bodyHash: `0x${'12'.repeat(32)}`, runId: 'b1-mismatch' });
      return harness.waitForRun('b1-mismatch', (r) => r.state === 'abandoned');
    })();
    expect(run.stateReason).toContain('BodyHashMismatchError');
  });

  it('refuses a malformed body (a length that is not whole txs)', async () => {
    harness = embeddedHarness();
    const bodyHash = harness.chain.reveal({ blockNumber: 1n, body: `${encodeBlockBody(body(2, 0))}ff` });
    const request = { ...harness.reveal(1n, body(2, 0)), bodyHash, runId: 'b1-malformed' };
    harness.chain.reveal({ blockNumber: 1n, body: `${encodeBlockBody(body(2, 0))}ff` });
    await harness.driver.start(request);
    const run = await harness.waitForRun('b1-malformed', (r) => r.state === 'abandoned');
    expect(run.stateReason).toContain('InvalidBlockBodyError');
  });

  it('waits for an unproven parent, then submits', async () => {
    harness = embeddedHarness();
    harness.chain.setState(1n, { status: 'revealed' });
    const request = harness.reveal(2n, body(4, 1), { parentBlock: 1n });
    harness.chain.setState(2n, { parentBlock: 1n });
    harness.chain.setState(1n, { status: 'revealed', stateRoot: `0x${'00'.repeat(32)}`, parentBlock: 0n, bodyHash: `0x${'77'.repeat(32)}` });
    await harness.driver.start(request);
    await harness.waitForRun(request.runId, (r) => r.state === 'submitting' && r.rootDigest !== '');
    // Several submit attempts read the chain and wait; none sends.
    const reads = harness.chain.calls.get('blockState') ?? 0;
    await expect.poll(() => harness.chain.calls.get('blockState') ?? 0, { timeout: 5_000 }).toBeGreaterThan(reads + 6);
    expect(harness.chain.submissions).toHaveLength(0);
    harness.chain.setState(1n, { status: 'proven', stateRoot: (await harness.store.getRun(request.runId))!.parentStateRoot });
    await harness.waitForRun(request.runId, (r) => r.state === 'settled');
    expect(harness.chain.submissions).toHaveLength(1);
  });

  it('abandons the run when another firm proves the block first', async () => {
    harness = embeddedHarness({ timeScale: 0.005 });
    const request = harness.reveal(1n, body(4, 1));
    await harness.driver.start(request);
    await harness.waitForRun(request.runId, (r) => r.state === 'proving');
    harness.chain.setState(1n, { status: 'proven', provenBy: '0x000000000000000000000000000000000000beef' });
    const run = await harness.waitForRun(request.runId, (r) => r.state === 'abandoned');
    expect(run.stateReason).toBe('proven first by 0x000000000000000000000000000000000000beef');
    expect(harness.chain.submissions).toHaveLength(0);
  });

  it('abandons the run when the deadline passes with the root unproven, and its agents leave by themselves', async () => {
    harness = embeddedHarness({ timeScale: 0.05 });
    const stop = vi.spyOn(harness.pool, 'stop');
    const request = harness.reveal(1n, body(8, 3));
    await harness.driver.start(request);
    await harness.waitForRun(request.runId, (r) => r.state === 'proving');
    harness.chain.now = request.provingDeadline;
    const run = await harness.waitForRun(request.runId, (r) => r.state === 'abandoned');
    expect(run.stateReason).toContain('deadline passed');
    await expect.poll(() => harness.pool.agents.size, { timeout: 5_000 }).toBe(0);
    expect(await harness.deps.targets.get('heavy')).toMatchObject({ agents: 0 });
    expect(stop).not.toHaveBeenCalled();
  });

  it('never sends a second proof after a crash between sending and confirming', async () => {
    harness = embeddedHarness();
    const request = harness.reveal(1n, body(4, 1));
    harness.chain.failNext.add('waitForReceipt');
    await harness.driver.start(request);
    await harness.waitForRun(request.runId, (r) => r.state === 'settled');
    expect(harness.chain.submissions).toHaveLength(1);
    expect(harness.warnings.some((warning) => warning.includes('injected RPC failure in waitForReceipt'))).toBe(true);
  });

  it('retries a failed RPC call and still settles', async () => {
    harness = embeddedHarness();
    const request = harness.reveal(1n, body(4, 1));
    harness.chain.failNext.add('submitProof');
    harness.chain.failNext.add('latestTimestamp');
    await harness.driver.start(request);
    await harness.waitForRun(request.runId, (r) => r.state === 'settled');
    expect(harness.chain.submissions).toHaveLength(1);
  });

  /**
   * Proves a 6-tx block whose first kernel proof, as it starts, is handed to `fault` with its agent; once the run has
   * settled, checks every job was recorded exactly once and returns the agent and job the fault hit.
   */
  async function withFaultOnFirstKernel(fault: (pool: EmbeddedHarness['pool'], agentId: string) => void, agentSettings = {}) {
    let hit: { agentId: string; jobId: string } | undefined;
    harness = embeddedHarness({
      timeScale: 0.005,
      agentSettings,
      onEvent: (event, { pool }) => {
        if (!hit && event.type === 'proving' && event.kind === 'kernel') {
          hit = { agentId: event.agentId, jobId: event.jobId };
          fault(pool, event.agentId);
        }
      },
    });
    const request = harness.reveal(1n, body(6, 2));
    await harness.driver.start(request);
    const run = await harness.waitForRun(request.runId, (r) => r.state === 'settled');
    const completions = harness.completions();
    expect(completions.size).toBe(run.jobCount);
    expect([...completions.values()].every((count) => count === 1)).toBe(true);
    return hit!;
  }

  it("redelivers a killed agent's job after its visibility timeout and proves it once", async () => {
    const victim = await withFaultOnFirstKernel((pool, agentId) => pool.kill(agentId), { visibilityMs: 600 });
    const proved = harness.events.find((event) => event.type === 'proved' && event.jobId === victim.jobId);
    expect(proved).toMatchObject({ first: true });
    expect(proved && 'agentId' in proved ? proved.agentId : '').not.toBe(victim.agentId);
  });

  it("lets an agent given Spot's notice mid-proof finish its proof (recorded once), then leave; the run settles", async () => {
    const noticed = await withFaultOnFirstKernel((pool, agentId) => pool.notice(agentId));
    const byNoticed = harness.events.filter((event) => 'agentId' in event && event.agentId === noticed.agentId);
    // Its last event is the proof it was given the notice in: finished, first, and nothing after it.
    expect(byNoticed.at(-1)).toMatchObject({ type: 'proved', jobId: noticed.jobId, first: true });
    expect(harness.events.some((event) => event.type === 'returned')).toBe(false);
    expect(harness.pool.agents.has(noticed.agentId)).toBe(false);
  });

  it('plans the same DAG the planner does (job count and critical path)', async () => {
    harness = embeddedHarness();
    const block = body(20, 3);
    const request = harness.reveal(1n, block);
    await harness.driver.start(request);
    const run = await harness.waitForRun(request.runId, (r) => r.state !== 'planned');
    const plan = planBlock(block, rfp2023, { blockId: request.runId });
    expect(run).toMatchObject({ jobCount: plan.size, criticalPathSeconds: plan.criticalPathSeconds });
  });
});
