import { describe, expect, it } from 'vitest';
import { FAKE_PARAMETERS } from '../../test/support/fakeRollupChain.js';
import { slotSchedule } from '../protocol/slotSchedule.js';
import { decideToProve, type ProvePolicy } from './decideToProve.js';
import type { TrackedBlock } from './trackedBlock.js';

const US = '0x00000000000000000000000000000000000000aa';
const THEM = '0x00000000000000000000000000000000000000bb';
const ZERO = `0x${'0'.repeat(40)}` as const;
const times = slotSchedule(FAKE_PARAMETERS, 5n);

const block = (overrides: Partial<TrackedBlock> = {}): TrackedBlock => ({
  blockNumber: 3n,
  slot: 5n,
  sequencer: THEM,
  bodyHash: `0x${'ab'.repeat(32)}`,
  revealedIn: `0x${'cd'.repeat(32)}`,
  txCount: 64,
  parentBlock: 2n,
  revealedAt: times.revealStart + 1,
  provingDeadline: times.commitStart + 300,
  committedProver: ZERO,
  feeBps: 0,
  bond: 0n,
  exclusiveUntil: 0,
  status: 'revealed',
  provenBy: ZERO,
  runId: '',
  startedFor: '',
  ...overrides,
});

const policy = (overrides: Partial<ProvePolicy> = {}): ProvePolicy => ({
  mode: 'open-race',
  proverId: US,
  estimateSeconds: () => 60,
  estimateCostWei: () => 10n ** 15n,
  raceLeadSeconds: 0,
  ...overrides,
});

describe('decideToProve', () => {
  it('waits for the reveal phase to end before deciding anything', () => {
    expect(decideToProve(block({ committedProver: US }), FAKE_PARAMETERS, policy(), times.commitStart - 1)).toEqual({
      prove: false,
      why: 'the reveal phase is still open',
      final: false,
    });
  });

  it('proves the blocks we are committed to, in every mode', () => {
    for (const mode of ['committed', 'open-race', 'prove-all'] as const) {
      expect(decideToProve(block({ committedProver: US }), FAKE_PARAMETERS, policy({ mode }), times.commitStart)).toEqual({
        prove: true,
        reason: 'committed',
      });
    }
  });

  it("leaves another prover's block alone during its exclusive window, then joins the open race", () => {
    const theirs = block({ committedProver: THEM, exclusiveUntil: times.commitEnd + 60, bond: 10n ** 17n });
    expect(decideToProve(theirs, FAKE_PARAMETERS, policy(), times.commitEnd + 59)).toMatchObject({ prove: false, final: false });
    expect(decideToProve(theirs, FAKE_PARAMETERS, policy(), times.commitEnd + 60)).toEqual({ prove: true, reason: 'open-race' });
    expect(decideToProve(theirs, FAKE_PARAMETERS, policy({ raceLeadSeconds: 10 }), times.commitEnd + 50)).toEqual({
      prove: true,
      reason: 'open-race',
    });
  });

  it('races for a block nobody committed to once the commit phase is over', () => {
    expect(decideToProve(block(), FAKE_PARAMETERS, policy(), times.commitEnd - 1)).toMatchObject({ prove: false, final: false });
    expect(decideToProve(block(), FAKE_PARAMETERS, policy(), times.commitEnd)).toEqual({ prove: true, reason: 'open-race' });
  });

  it('does not race when the reward does not cover the cost, or there is no time left', () => {
    const costly = policy({ estimateCostWei: () => 10n ** 18n });
    expect(decideToProve(block(), FAKE_PARAMETERS, costly, times.commitEnd)).toMatchObject({ prove: false, final: true });
    const slow = policy({ estimateSeconds: () => 400 });
    expect(decideToProve(block(), FAKE_PARAMETERS, slow, times.commitEnd)).toEqual({
      prove: false,
      why: 'too little time left to prove it',
      final: true,
    });
  });

  it('counts the slashed bond of a missed commitment as reward', () => {
    const theirs = block({ committedProver: THEM, exclusiveUntil: times.commitEnd, bond: 4n * 10n ** 18n });
    const pricey = policy({ estimateCostWei: () => 10n ** 18n });
    expect(decideToProve(theirs, FAKE_PARAMETERS, pricey, times.commitEnd)).toEqual({ prove: true, reason: 'open-race' });
  });

  it('proves only its own commitments in committed mode, and everything in prove-all mode', () => {
    expect(decideToProve(block(), FAKE_PARAMETERS, policy({ mode: 'committed' }), times.commitEnd)).toMatchObject({ prove: false, final: true });
    expect(decideToProve(block(), FAKE_PARAMETERS, policy({ mode: 'prove-all' }), times.commitStart)).toEqual({ prove: true, reason: 'prove-all' });
  });

  it('ignores proven, pruned and expired blocks for good', () => {
    expect(decideToProve(block({ status: 'proven' }), FAKE_PARAMETERS, policy(), times.commitEnd)).toMatchObject({ final: true, prove: false });
    expect(decideToProve(block({ status: 'pruned' }), FAKE_PARAMETERS, policy(), times.commitEnd)).toMatchObject({ final: true, prove: false });
    expect(decideToProve(block({ committedProver: US }), FAKE_PARAMETERS, policy(), times.commitStart + 300)).toMatchObject({ final: true });
  });
});
