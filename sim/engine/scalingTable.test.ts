import { describe, expect, it } from 'vitest';
import { quotedTxShare, sustainedTrial, type ScalingTrial } from './scalingTable.js';

const trial = (provenTxsPerSecond: number, overrides: Partial<ScalingTrial> = {}): ScalingTrial => ({
  loadFraction: 0.5,
  slotSeconds: 72,
  blocks: 20,
  offeredTxsPerSecond: provenTxsPerSecond,
  provenTxsPerSecond,
  committed: 20,
  refused: 0,
  missed: 0,
  quotedTxShare: 1,
  perTxUsd: 0.01,
  computeOverLowerBound: 1.2,
  steadyStateComputeOverLowerBound: 1.1,
  makespanOverCriticalPathP95: 1.2,
  peakBatchApiTps: 10,
  wallSeconds: 1,
  ...overrides,
});

describe('sustainedTrial', () => {
  it('sustains the most txs/s proven with every committed block on time, not a load kept on time by refusing it', () => {
    const onTime = trial(40);
    const missing = trial(60, { missed: 1 });
    const refusing = trial(55, { refused: 6, quotedTxShare: 0.7 });
    expect(sustainedTrial([onTime, missing, refusing])).toBe(onTime);
    // A refusal or two (≥ 95 % of the txs quoted) still sustains the load.
    const nearlyAll = trial(50, { refused: 1, quotedTxShare: 0.96 });
    expect(sustainedTrial([onTime, nearlyAll])).toBe(nearlyAll);
    expect(sustainedTrial([missing, refusing])).toBeNull();
  });
});

describe('quotedTxShare', () => {
  it('weighs each block by its txs', () => {
    expect(quotedTxShare([{ txs: 1_024, committed: true }, { txs: 3_072, committed: false }])).toBe(0.25);
    expect(quotedTxShare([])).toBe(0);
  });
});
