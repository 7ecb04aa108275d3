import { describe, expect, it } from 'vitest';
import { FAKE_PARAMETERS } from '../../test/support/fakeRollupChain.js';
import { slotSchedule } from '../protocol/slotSchedule.js';
import type { BlockDemand } from '../quote/fleetCapacity.js';
import { UNKNOWN_SHAPE } from '../scale/workWindow.js';
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

  it('does not count a missed commitment’s bond as reward: it is burnt, not paid to the racer', () => {
    const theirs = block({ committedProver: THEM, exclusiveUntil: times.commitEnd, bond: 4n * 10n ** 18n });
    const pricey = policy({ estimateCostWei: () => 10n ** 18n });
    expect(decideToProve(theirs, FAKE_PARAMETERS, pricey, times.commitEnd)).toMatchObject({ prove: false, final: true });
  });

  it('proves only its own commitments in committed mode, and everything in prove-all mode', () => {
    expect(decideToProve(block(), FAKE_PARAMETERS, policy({ mode: 'committed' }), times.commitEnd)).toMatchObject({ prove: false, final: true });
    expect(decideToProve(block(), FAKE_PARAMETERS, policy({ mode: 'prove-all' }), times.commitStart)).toEqual({ prove: true, reason: 'prove-all' });
  });

  it('never starts a block at or past its deadline, and says so', () => {
    const ours = block({ committedProver: US });
    expect(decideToProve(ours, FAKE_PARAMETERS, policy(), ours.provingDeadline)).toEqual({ prove: false, why: 'past its proving deadline', final: true });
    expect(decideToProve(ours, FAKE_PARAMETERS, policy(), ours.provingDeadline - 1)).toEqual({ prove: true, reason: 'committed' });
    expect(decideToProve(block({ status: 'pruned' }), FAKE_PARAMETERS, policy(), times.commitEnd)).toEqual({ prove: false, why: 'block is pruned', final: true });
  });

  it('recognises its own commitment however the address is cased', () => {
    const shouty = block({ committedProver: US.toUpperCase().replace('0X', '0x') as typeof US });
    expect(decideToProve(shouty, FAKE_PARAMETERS, policy({ mode: 'committed' }), times.commitStart)).toEqual({ prove: true, reason: 'committed' });
  });

  it('in committed mode, asks again while the commit phase is open and nobody has committed', () => {
    const committedMode = policy({ mode: 'committed' });
    expect(decideToProve(block(), FAKE_PARAMETERS, committedMode, times.commitEnd - 1)).toEqual({
      prove: false,
      why: 'the commit phase is still open',
      final: false,
    });
    expect(decideToProve(block(), FAKE_PARAMETERS, committedMode, times.commitEnd)).toEqual({ prove: false, why: 'not our commitment', final: true });
    expect(decideToProve(block({ committedProver: THEM }), FAKE_PARAMETERS, committedMode, times.commitStart)).toEqual({
      prove: false,
      why: 'not our commitment',
      final: true,
    });
  });

  it('races only when the open-race reward beats the cost, to the wei; a missed commitment’s bond adds nothing (it is burnt)', () => {
    // 64 txs: reward (1 ETH + 64 × 0.001 ETH) × 50 % = 0.532 ETH, whether or not a 4 ETH bond was forfeited.
    const covered = 532n * 10n ** 15n;
    for (const theirs of [block({ committedProver: THEM, exclusiveUntil: times.commitEnd, bond: 4n * 10n ** 18n }), block({ bond: 4n * 10n ** 18n })]) {
      expect(decideToProve(theirs, FAKE_PARAMETERS, policy({ estimateCostWei: () => covered - 1n }), times.commitEnd)).toEqual({ prove: true, reason: 'open-race' });
      expect(decideToProve(theirs, FAKE_PARAMETERS, policy({ estimateCostWei: () => covered }), times.commitEnd)).toEqual({
        prove: false,
        why: `open-race reward ${covered} wei does not cover the cost ${covered} wei`,
        final: true,
      });
    }
  });

  it('joins the race only if the expected proving time still ends by the deadline', () => {
    const at = times.commitEnd;
    const fits = policy({ estimateSeconds: () => block().provingDeadline - at });
    expect(decideToProve(block(), FAKE_PARAMETERS, fits, at)).toEqual({ prove: true, reason: 'open-race' });
    const late = policy({ estimateSeconds: () => block().provingDeadline - at + 1 });
    expect(decideToProve(block(), FAKE_PARAMETERS, late, at)).toMatchObject({ prove: false, why: 'too little time left to prove it' });
  });

  it("says the exclusive window is open while another prover has it, asking again later", () => {
    const theirs = block({ committedProver: THEM, exclusiveUntil: times.commitEnd + 60 });
    expect(decideToProve(theirs, FAKE_PARAMETERS, policy({ raceLeadSeconds: 10 }), times.commitEnd + 49)).toEqual({
      prove: false,
      why: 'the exclusive window is open',
      final: false,
    });
  });

  it('ignores proven, pruned and expired blocks for good', () => {
    expect(decideToProve(block({ status: 'proven' }), FAKE_PARAMETERS, policy(), times.commitEnd)).toMatchObject({ final: true, prove: false });
    expect(decideToProve(block({ status: 'pruned' }), FAKE_PARAMETERS, policy(), times.commitEnd)).toMatchObject({ final: true, prove: false });
    expect(decideToProve(block({ committedProver: US }), FAKE_PARAMETERS, policy(), times.commitStart + 300)).toMatchObject({ final: true });
  });

  describe('with a fleet to fit in', () => {
    // 10 heavy agents fully used: 10 agent-seconds a second. The block needs 1,000 heavy seconds.
    const fleet = {
      quota: { agents: { heavy: 10, light: 10 }, utilisation: 1 },
      workSeconds: () => ({ heavy: 1_000, light: 0 }),
      shape: () => UNKNOWN_SHAPE,
      provisioningSeconds: 0,
    };
    const now = times.commitEnd;
    const due = (key: string, deadline: number, heavy: number) => ({ key, startsAt: now, deadline, workSeconds: { heavy, light: 0 }, shape: UNKNOWN_SHAPE });

    it('joins the open race or proves all only when the block fits beside the committed ones', () => {
      for (const mode of ['open-race', 'prove-all'] as const) {
        const decide = (committed: BlockDemand[]) =>
          decideToProve(block({ provingDeadline: now + 300 }), FAKE_PARAMETERS, policy({ mode, fleet }), now, { committed });
        expect(decide([])).toMatchObject({ prove: true });
        // A committed run due first still needs 2,500 of the 3,000 agent-seconds before this block's deadline.
        expect(decide([due('run-a', now + 280, 2_500)])).toEqual({
          prove: false,
          why: expect.stringMatching(/^the fleet cannot take it: the heavy tier would need 3500 agent-seconds for 2 block\(s\)/),
          final: false,
        });
      }
    });

    it('always proves a block we committed to, however full the fleet', () => {
      const full = [due('run-a', now + 100, 1_000_000)];
      expect(decideToProve(block({ committedProver: US }), FAKE_PARAMETERS, policy({ fleet }), now, { committed: full })).toEqual({ prove: true, reason: 'committed' });
    });

    it('counts the block from when new agents could prove it', () => {
      const late = { ...fleet, provisioningSeconds: 250 };
      // From now + 250 to now + 300: 500 agent-seconds for 1,000.
      expect(decideToProve(block({ provingDeadline: now + 300 }), FAKE_PARAMETERS, policy({ mode: 'prove-all', fleet: late }), now)).toMatchObject({
        prove: false,
      });
    });
  });
});
