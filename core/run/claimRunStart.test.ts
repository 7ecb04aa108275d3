import { describe, expect, it } from 'vitest';
import { memoryRunWorld } from '../../test/support/memoryRunWorld.js';
import { claimRunStart } from './claimRunStart.js';
import { ORPHANED_REVEAL } from './reviveRun.js';

const NEW_REVEAL = `0x${'b2'.repeat(32)}` as const;

describe('claimRunStart', () => {
  it('starts a run the store does not hold, and refuses a duplicate start of one it holds', async () => {
    const w = memoryRunWorld();
    const request = w.reveal(1n);
    expect(await claimRunStart(w.deps, request, 1)).toBe(true);
    const { request: again } = await w.planned(2n);
    expect(await claimRunStart(w.deps, again, 1)).toBe(false);
  });

  it('starts again a run abandoned for an orphaned reveal that this request re-reveals (revived to planned), and no other abandoned run', async () => {
    const w = memoryRunWorld();
    const { request, run } = await w.runIn('abandoned', { stateReason: `${ORPHANED_REVEAL} at block 12` });
    const reRevealed = { ...request, revealedIn: NEW_REVEAL };
    expect(await claimRunStart(w.deps, reRevealed, 1)).toBe(true);
    expect(await w.store.getRun(run.runId)).toMatchObject({ state: 'planned', revealedIn: reRevealed.revealedIn });

    const other = memoryRunWorld();
    const { request: lost } = await other.runIn('abandoned', { stateReason: 'proving deadline passed' });
    expect(await claimRunStart(other.deps, { ...lost, revealedIn: NEW_REVEAL }, 1)).toBe(false);
  });
});
