import { describe, expect, it } from 'vitest';
import { syntheticBlockBody } from '../body/syntheticBlockBody.js';
import { jobIdAt } from '../plan/jobAt.js';
import { planBlock } from '../plan/planBlock.js';
import { rfp2023 } from '../profiles/rfp2023.js';
import { sourceJobsOf } from './sourceJobs.js';
import { twoTxPlan } from '../../test/support/twoTxPlan.js';

describe('sourceJobsOf', () => {
  it("lists each tier's jobs without children, longest remaining path first, with their tails to the root", () => {
    const { heavy, light } = sourceJobsOf(twoTxPlan);
    expect(Array.from(heavy.jobs, (job) => jobIdAt(twoTxPlan, job))).toEqual(['two/vm/0.0', 'two/vm/0.1']);
    expect(Array.from(heavy.seconds)).toEqual([30, 30]);
    expect(Array.from(heavy.tails)).toEqual([120, 90]);
    expect(heavy).toMatchObject({ meanSeconds: 30, wholeTier: true });
    expect(Array.from(light.jobs, (job) => jobIdAt(twoTxPlan, job))).toEqual(['two/base/1']);
    expect(Array.from(light.tails)).toEqual([30]);
    expect(light).toMatchObject({ meanSeconds: 30, wholeTier: false });
  });

  it('serves equally long paths in plan order, and says a tier without sources has none', () => {
    const { heavy } = sourceJobsOf(twoTxPlan);
    expect(heavy.jobs[0]! < heavy.jobs[1]!).toBe(true);
    const privateOnly = planBlock(syntheticBlockBody({ txs: 2, publicCalls: { kind: 'fixed', calls: 0 }, seed: 'private' }), rfp2023, { blockId: 'p', trusted: true });
    expect(sourceJobsOf(privateOnly).heavy).toMatchObject({ meanSeconds: 0, wholeTier: false });
    expect(sourceJobsOf(privateOnly).heavy.jobs).toHaveLength(0);
  });
});
