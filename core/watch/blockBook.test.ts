import { describe, expect, it } from 'vitest';
import type { RollupEvent } from '../ports/l1.js';
import { ORPHANED_REVEAL } from '../run/reviveRun.js';
import { at, committed, hash, revealed, THEM, US } from '../../test/support/watchScript.js';
import { applyEvent, retractEvent, type BlockBook } from './blockBook.js';

const ZERO = `0x${'0'.repeat(40)}`;
const proven = (blockNumber: bigint, proverId = US): RollupEvent => ({
  type: 'BlockProven',
  blockNumber,
  proverId,
  submitter: proverId,
  newStateRoot: hash('01'),
  proverReward: 1n,
  at: at(12, '12'),
});
const pruned = (blockNumber: bigint): RollupEvent => ({ type: 'BlockPruned', blockNumber, at: at(13, '13') });
const slashed: RollupEvent = { type: 'BondSlashed', blockNumber: 3n, proverId: THEM, bond: 1n, at: at(14, '14') };
const restarted = (blockNumber: bigint): RollupEvent => ({ type: 'ProvingClockRestarted', blockNumber, exclusiveUntil: 2_000, provingDeadline: 2_100, at: at(15, '15') });
const proposed: RollupEvent = { type: 'BlockProposed', slot: 5n, sequencer: THEM, bodyHash: hash('ab'), parentBlock: 2n, score: hash('05'), at: at(9, '09') };

const fold = (events: RollupEvent[], book: BlockBook = {}) => events.reduce(applyEvent, book);

describe('the block book', () => {
  it('tracks a revealed block with no commitment, no proof and no run yet', () => {
    const reveal = revealed(3n, hash('ab'), 'a1') as Extract<RollupEvent, { type: 'BlockRevealed' }>;
    expect(fold([reveal])).toEqual({
      '3': {
        blockNumber: 3n,
        slot: 5n,
        sequencer: THEM,
        bodyHash: hash('ab'),
        revealedIn: hash('a1'),
        txCount: 8,
        parentBlock: 2n,
        revealedAt: reveal.revealedAt,
        provingDeadline: reveal.provingDeadline,
        committedProver: ZERO,
        feeBps: 0,
        bond: 0n,
        exclusiveUntil: 0,
        status: 'revealed',
        provenBy: ZERO,
        runId: '',
        startedFor: '',
        stopReason: '',
      },
    });
  });

  it('records the commitment, the proof and the pruning of a block it tracks', () => {
    const book = fold([revealed(3n, hash('ab'), 'a1'), committed(3n, THEM)]);
    const commitment = committed(3n, THEM) as Extract<RollupEvent, { type: 'ProverCommitted' }>;
    expect(book['3']).toMatchObject({ committedProver: THEM, feeBps: 1_000, bond: 10n ** 17n, exclusiveUntil: commitment.exclusiveUntil });
    expect(applyEvent(book, proven(3n, THEM))['3']).toMatchObject({ status: 'proven', provenBy: THEM });
    expect(applyEvent(book, pruned(3n))['3']).toMatchObject({ status: 'pruned' });
  });

  it('moves a block’s window and deadline when its parent was proven late (its clock restarts)', () => {
    const book = fold([revealed(3n, hash('ab'), 'a1'), committed(3n, THEM)]);
    expect(applyEvent(book, restarted(3n))['3']).toMatchObject({ exclusiveUntil: 2_000, provingDeadline: 2_100, committedProver: THEM });
    // A retracted restart keeps the later times; runs read L1's own before they give up.
    const moved = applyEvent(book, restarted(3n));
    expect(retractEvent(moved, restarted(3n))).toBe(moved);
  });

  it('ignores events of blocks it does not track, and events that change no block', () => {
    const book = fold([revealed(3n, hash('ab'), 'a1')]);
    for (const event of [committed(4n, US), proven(4n), pruned(4n), restarted(4n), slashed, proposed]) expect(applyEvent(book, event)).toBe(book);
  });

  it('keeps the run of a body revealed again (after a reorg), and forgets it for another body', () => {
    const started = { '3': { ...fold([revealed(3n, hash('ab'), 'a1')])['3']!, runId: 'b3-run', startedFor: hash('a1') } };
    expect(applyEvent(started, revealed(3n, hash('ab'), 'b2'))['3']).toMatchObject({ runId: 'b3-run', startedFor: hash('a1'), revealedIn: hash('b2') });
    expect(applyEvent(started, revealed(3n, hash('cd'), 'b2'))['3']).toMatchObject({ runId: '', startedFor: '', bodyHash: hash('cd') });
  });

  it('retracts an orphaned reveal by marking the block stopped for it, keeping its run for a revival', () => {
    const book = { '3': { ...fold([revealed(3n, hash('ab'), 'a1')])['3']!, runId: 'b3-run' } };
    expect(retractEvent(book, revealed(3n, hash('ab'), 'a1'))['3']).toMatchObject({ status: 'pruned', stopReason: ORPHANED_REVEAL, runId: 'b3-run' });
    // A reveal of another body that fell out changes nothing: the tracked body is still canonical.
    expect(retractEvent(book, revealed(3n, hash('cd'), 'a1'))).toBe(book);
  });

  it('retracts a commitment, a proof and a pruning', () => {
    const book = fold([revealed(3n, hash('ab'), 'a1'), committed(3n, THEM), proven(3n, THEM)]);
    expect(retractEvent(book, committed(3n, THEM))['3']).toMatchObject({ committedProver: ZERO, feeBps: 0, bond: 0n, exclusiveUntil: 0 });
    expect(retractEvent(book, proven(3n, THEM))['3']).toMatchObject({ status: 'revealed', provenBy: ZERO });
    expect(retractEvent(applyEvent(book, pruned(3n)), pruned(3n))['3']).toMatchObject({ status: 'revealed', provenBy: ZERO });
  });

  it('retracts nothing for blocks it does not track, or events that changed no block', () => {
    const book = fold([revealed(3n, hash('ab'), 'a1')]);
    for (const event of [committed(4n, US), proven(4n), revealed(4n, hash('ab'), 'a1'), slashed, proposed]) expect(retractEvent(book, event)).toBe(book);
  });
});
