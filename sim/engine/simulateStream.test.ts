import { describe, expect, it } from 'vitest';
import { DEFAULT_SIM_MODEL } from '../model/model.js';
import { parseTxsMix } from '../model/txsMix.js';
import { QUOTE_EVERY_BLOCK, simulateStream, type StreamParameters } from './simulateStream.js';
import { standingFleetFor } from './standingFleet.js';
import { quantiles } from './streamOutcome.js';
import { streamQuote } from './streamQuotes.js';

const stream: StreamParameters = {
  profile: 'rfp-2023',
  publicCalls: '1',
  txs: parseTxsMix('16:0.5,64:0.5'),
  blocks: 6,
  slotSeconds: 30,
  deadlineFactor: 2,
  model: { ...DEFAULT_SIM_MODEL, account: { maxVcpus: { heavy: 8_192, light: 8_192 } } },
  seed: '1',
  fault: null,
  warm: true,
};

describe('simulateStream', () => {
  it('proves every block of a stream on one shared fleet, each by its own deadline, within the Batch API budget', async () => {
    const outcome = await simulateStream(stream);
    expect(outcome.blocks).toEqual({ revealed: 6, quoted: 6, refused: 0, proven: 6, missed: 0 });
    expect(outcome.perBlock.map((block) => block.revealedAtSeconds)).toEqual([0, 30, 60, 90, 120, 150]);
    for (const block of outcome.perBlock) expect(block.makespanSeconds!).toBeGreaterThanOrEqual(block.criticalPathSeconds);
    expect(outcome.makespanOverCriticalPath.p50!).toBeGreaterThan(1);
    expect(outcome.peakBatchApiTps).toBeLessThanOrEqual(50);
    expect(outcome.computeOverLowerBound).toBeGreaterThan(1);
    expect(outcome.compute.usd).toBeGreaterThan(outcome.compute.lowerBoundUsd);
    expect(outcome.throughput.provenTxs).toBe(outcome.perBlock.reduce((total, block) => total + block.txs, 0));
    // The standing fleet was up at t = 0; agents outlive the block that started them.
    expect(outcome.standingFleet.heavy).toBeGreaterThan(0);
    expect(outcome.agents.started).toBeGreaterThanOrEqual(outcome.standingFleet.heavy + outcome.standingFleet.light);
  });

  it('splits the steady window\'s bill into parts that add up to it, with proving a part of it', async () => {
    const outcome = await simulateStream(stream);
    const { categories, billed } = outcome.steadyBill;
    expect(outcome.compute.steadyState.usd).toBeGreaterThan(0);
    expect(billed.usd).toBeCloseTo(outcome.compute.steadyState.usd, 6);
    const rows = Object.values(categories);
    expect(rows.reduce((total, row) => total + row.usd, 0)).toBeCloseTo(billed.usd, 6);
    for (const tier of ['heavy', 'light'] as const) {
      expect(categories.proving.seconds[tier]).toBeGreaterThan(0);
      expect(categories.proving.seconds[tier]).toBeLessThan(billed.seconds[tier]);
      // The idle agents sampled per tick (a sample held for the tick: not exact), by why: within the billed time.
      const { aboveTarget, held, wanted } = outcome.steadyBill.idleAgentSeconds[tier];
      for (const part of [aboveTarget, held, wanted]) expect(part).toBeGreaterThanOrEqual(0);
      expect(aboveTarget + held + wanted).toBeGreaterThan(0);
      expect(aboveTarget + held + wanted).toBeLessThan(billed.seconds[tier]);
    }
    expect(categories.billingMinimum.usd).toBe(0);
  });

  it('draws the same blocks for the same seed, and other sizes for another', async () => {
    const [a, b, c] = await Promise.all([simulateStream(stream), simulateStream(stream), simulateStream({ ...stream, seed: '2' })]);
    expect(a.perBlock.map((block) => block.txs)).toEqual(b.perBlock.map((block) => block.txs));
    expect(a.compute.usd).toBe(b.compute.usd);
    expect(c.perBlock.map((block) => block.txs)).not.toEqual(a.perBlock.map((block) => block.txs));
  });

  it('kills 30 % of the agents mid-stream and says how long until the stream was back on schedule', async () => {
    const model = { ...stream.model, faults: { ...stream.model.faults, kill: { atSeconds: 20, fraction: 0.3 } } };
    const outcome = await simulateStream({ ...stream, blocks: 10, model, fault: 'kill-30' });
    // Mid-stream: 20 s after the middle block's reveal.
    expect(outcome.fault).toMatchObject({ kind: 'kill-30', atSeconds: 5 * 30 + 20 });
    expect(outcome.fault!.recoverySeconds).not.toBeNull();
    expect(outcome.blocks.missed).toBe(0);
  });

  it('misses the blocks a quota far too small cannot prove in time, when every block is taken on', async () => {
    const outcome = await simulateStream({ ...stream, txs: parseTxsMix('256'), blocks: 3, model: { ...stream.model, account: { maxVcpus: { heavy: 64, light: 16 } } } });
    expect(outcome.blocks.quoted).toBe(3);
    expect(outcome.blocks.missed).toBeGreaterThan(0);
    expect(outcome.perBlock.filter((block) => !block.onTime).every((block) => block.makespanSeconds === null || block.makespanSeconds > block.deadlineSeconds)).toBe(true);
  });

  it('with the capacity-aware quote, refuses at reveal the blocks core\'s fleet-capacity check says the fleet cannot hold: every block taken on is on time', async () => {
    const { quote, name } = streamQuote('capacity');
    const small = (heavy: number) => ({ ...stream, txs: parseTxsMix('256'), blocks: 3, quote, quoteName: name, model: { ...stream.model, account: { maxVcpus: { heavy, light: 8_192 } } } });
    // 30 heavy agents hold one 256-tx block's 7,680 agent-seconds of VMs before its 300-s tail, not two.
    const outcome = await simulateStream(small(960));
    expect(outcome.blocks).toEqual({ revealed: 3, quoted: 1, refused: 2, proven: 1, missed: 0 });
    expect(outcome.perBlock[1]!.refusedWhy).toMatch(/^the heavy tier would need \d+ agent-seconds for 2 block\(s\).*the fleet it can have up \(\d+ agents now, at most 30,/);
    expect(outcome.parameters.quote).toContain('checkFleetCapacity');
    // 20 agents cannot end even one block's VM proofs before its tail (the whole window to the deadline would hold it).
    expect((await simulateStream(small(640))).blocks).toMatchObject({ quoted: 0, refused: 3, missed: 0 });
  });

  it('with the capacity-aware quote, refuses a block a cold fleet cannot launch enough agents for, and takes it from a warm one', async () => {
    const { quote, name } = streamQuote('capacity');
    // 4,096-tx blocks due 900 s after reveal, their VM proofs 420 s before that: 122,880 heavy agent-seconds each.
    // The quota (512 heavy agents) would hold one, but on instances that host one agent each, from no agent EC2's
    // 2 launches a second bring up 138,751 agent-seconds by then: × 0.8, 111,001.
    const oneAgentInstances = { ...stream.model.ec2, instanceTypes: { heavy: 'c7i.8xlarge', light: 'c7i.2xlarge' } };
    const model = { ...stream.model, ec2: oneAgentInstances, account: { maxVcpus: { heavy: 16_384, light: 16_384 } } };
    const big = { ...stream, txs: parseTxsMix('4096'), blocks: 2, slotSeconds: 72, quote, quoteName: name, model };
    const cold = await simulateStream({ ...big, warm: false });
    expect(cold.blocks).toMatchObject({ quoted: 0, refused: 2, missed: 0 });
    expect(cold.perBlock[0]!.refusedWhy).toMatch(/^the heavy tier would need 122880 agent-seconds .* \(0 agents now, at most 512,/);
    // Taken on all the same, the cold fleet misses both.
    expect((await simulateStream({ ...big, warm: false, quote: QUOTE_EVERY_BLOCK })).blocks).toMatchObject({ quoted: 2, missed: 2 });
    // The standing fleet of a firm already proving takes one on, and proves it on time.
    expect((await simulateStream({ ...big, blocks: 1, warm: true })).blocks).toMatchObject({ quoted: 1, proven: 1, missed: 0 });
  });

  it('keeps up the mean work of the mix per slot as the standing fleet, within the quota', () => {
    const mix = { profile: 'rfp-2023', publicCalls: '2', txs: parseTxsMix('1024'), slotSeconds: 72 };
    // 1,024 txs × 2 VM proofs × 30 s over 72 s: 854 heavy agents.
    expect(standingFleetFor(mix, DEFAULT_SIM_MODEL).heavy).toBe(854);
    expect(standingFleetFor(mix, { ...DEFAULT_SIM_MODEL, account: { maxVcpus: { heavy: 3_200, light: 800 } } })).toEqual({ heavy: 100, light: 100 });
  });
});

describe('quantiles', () => {
  it('ranks to the nearest rank, and says nothing of nothing', () => {
    expect(quantiles([3, 1, 2, 5, 4])).toEqual({ p50: 3, p95: 5, max: 5 });
    expect(quantiles([])).toEqual({ p50: null, p95: null, max: null });
  });
});
