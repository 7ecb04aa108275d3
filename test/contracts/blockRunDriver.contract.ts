import { describe, expect, it } from 'vitest';
import type { ArtifactStore } from '../../core/ports/artifactStore.js';
import type { BlockRunDriver, BlockRunRequest } from '../../core/ports/blockRunDriver.js';
import type { JobStore } from '../../core/ports/jobStore.js';
import type { ProvingRun } from '../../core/ports/provingRun.js';
import { ORPHANED_REVEAL } from '../../core/run/reviveRun.js';
import { withFixture } from './withFixture.js';

export interface BlockRunDriverFixture {
  readonly driver: BlockRunDriver;
  /** Where the runs live, and where a root proof is stored before it is signalled. */
  readonly store: Pick<JobStore, 'getRun'>;
  readonly artifacts: ArtifactStore;
  /** A request for a block revealed for the first time: no run exists for it yet. */
  newRequest(): Promise<BlockRunRequest>;
  /**
   * Waits until the run started for `request` (this reveal) is in its prove state, waiting for its root. Whatever
   * runs the steps outside the driver (the planner Lambda, the prove task on AWS) is played by the fixture.
   */
  untilProving(request: BlockRunRequest): Promise<void>;
  /** Whether the execution started for this reveal has ended (a Step Functions execution, an in-process walk). */
  ended(request: BlockRunRequest): Promise<boolean>;
  close(): Promise<void>;
}

const POLL = { timeout: 20_000, interval: 50 } as const;
const anotherReveal = (request: BlockRunRequest, byte: string): BlockRunRequest => ({ ...request, revealedIn: `0x${byte.repeat(32)}` });

/**
 * The behaviour every BlockRunDriver must have: one run per reveal however often it is started, the root or a
 * failure moves a waiting run on and ends its execution, and only a run abandoned because its reveal was orphaned can
 * be started again (by the same body revealed again). Each test gets a fresh fixture.
 */
export function describeBlockRunDriverContract(name: string, open: () => Promise<BlockRunDriverFixture>) {
  describe(`BlockRunDriver contract: ${name}`, () => {
    const withDriver = withFixture(open);
    const runOf = async (fixture: BlockRunDriverFixture, request: BlockRunRequest): Promise<ProvingRun> => {
      const run = await fixture.store.getRun(request.runId);
      if (!run) throw new Error(`no run ${request.runId}`);
      return run;
    };

    it('starts one run per reveal: duplicate starts, concurrent or later, are no-ops', withDriver(async (fixture) => {
      const request = await fixture.newRequest();
      const outcomes = await Promise.all([fixture.driver.start(request), fixture.driver.start(request)]);
      expect(outcomes.filter(Boolean)).toHaveLength(1);
      await fixture.untilProving(request);
      expect(await fixture.driver.start(request)).toBe(false);
      expect(await fixture.driver.start(anotherReveal(request, 'e1'))).toBe(false);
      expect((await runOf(fixture, request)).state).toBe('proving');
      expect(await fixture.ended(request)).toBe(false);
    }));

    it('moves a waiting run on once its root is proven, and ignores a repeated signal', withDriver(async (fixture) => {
      const request = await fixture.newRequest();
      expect(await fixture.driver.start(request)).toBe(true);
      await fixture.untilProving(request);
      const rootDigest = await fixture.artifacts.put(new TextEncoder().encode(`root proof of ${request.runId}`));
      await fixture.driver.rootProven(request.runId, rootDigest);
      await expect.poll(async () => (await runOf(fixture, request)).state, POLL).toMatch(/^(submitting|confirmed|settled)$/);
      expect((await runOf(fixture, request)).rootDigest).toBe(rootDigest);
      await expect.poll(() => fixture.ended(request), POLL).toBe(true);

      const other = await fixture.artifacts.put(new TextEncoder().encode('a second root proof'));
      await fixture.driver.rootProven(request.runId, other);
      expect((await runOf(fixture, request)).rootDigest).toBe(rootDigest);
    }));

    it('abandons a failed run with its reason and ends it; no later start brings it back', withDriver(async (fixture) => {
      const request = await fixture.newRequest();
      expect(await fixture.driver.start(request)).toBe(true);
      await fixture.untilProving(request);
      await fixture.driver.fail(request.runId, 'job b1/base/0 failed 3 times: prover crashed');
      await expect.poll(async () => (await runOf(fixture, request)).state, POLL).toBe('abandoned');
      expect((await runOf(fixture, request)).stateReason).toBe('job b1/base/0 failed 3 times: prover crashed');
      await expect.poll(() => fixture.ended(request), POLL).toBe(true);

      expect(await fixture.driver.start(request)).toBe(false);
      expect(await fixture.driver.start(anotherReveal(request, 'e2'))).toBe(false);
      expect((await runOf(fixture, request)).state).toBe('abandoned');
    }));

    it('revives a run abandoned for an orphaned reveal when the same body is revealed again', withDriver(async (fixture) => {
      const request = await fixture.newRequest();
      expect(await fixture.driver.start(request)).toBe(true);
      await fixture.untilProving(request);
      await fixture.driver.fail(request.runId, `${ORPHANED_REVEAL} (L1 block ${request.revealedIn})`);
      await expect.poll(() => fixture.ended(request), POLL).toBe(true);
      expect((await runOf(fixture, request)).state).toBe('abandoned');

      const again = anotherReveal(request, 'e3');
      expect(await fixture.driver.start(again)).toBe(true);
      await fixture.untilProving(again);
      expect(await runOf(fixture, request)).toMatchObject({ state: 'proving', stateReason: '', revealedIn: again.revealedIn });
      expect(await fixture.driver.start(again)).toBe(false);
      // Another body under the same run id is never revived.
      await fixture.driver.fail(request.runId, `${ORPHANED_REVEAL} (again)`);
      await expect.poll(() => fixture.ended(again), POLL).toBe(true);
      expect(await fixture.driver.start({ ...anotherReveal(request, 'e4'), bodyHash: `0x${'99'.repeat(32)}` })).toBe(false);
    }));
  });
}
