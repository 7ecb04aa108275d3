import { describe, expect, it } from 'vitest';
import { syntheticBlockBody } from '../body/syntheticBlockBody.js';
import { jobIdAt, jobIndexOf } from '../plan/jobAt.js';
import { planBlock } from '../plan/planBlock.js';
import { rfp2023 } from '../profiles/rfp2023.js';
import { isJobOf, jobMessage } from './jobMessage.js';
import { runDue } from './urgency.js';

/** Deadline 1,000 at the cloud's time scale. */
const due = runDue({ provingDeadline: 1_000 }, 1);

const plan = planBlock(syntheticBlockBody({ txs: 2, publicCalls: { kind: 'fixed', calls: 1 }, seed: 'msg' }), rfp2023, { blockId: 'r', trusted: true });

describe('jobMessage', () => {
  it('points at one job of the run, with its latest start (deadline less remaining critical path), for its tier', () => {
    const vm = jobIndexOf(plan, 'r/vm/1.0');
    expect(jobMessage(plan, vm, due)).toEqual({ tier: 'heavy', message: { runId: 'r', jobId: 'r/vm/1.0', jobIndex: vm, latestStart: 880 } });
    expect(jobMessage(plan, plan.rootIndex, due)).toEqual({ tier: 'light', message: { runId: 'r', jobId: jobIdAt(plan, plan.rootIndex), jobIndex: plan.rootIndex, latestStart: 970 } });
  });
});

describe('isJobOf', () => {
  it('accepts a message that names a job of the plan by index and id, and nothing else', () => {
    const { message } = jobMessage(plan, 3, due);
    expect(isJobOf(plan, message)).toBe(true);
    expect(isJobOf(plan, { ...message, jobId: jobIdAt(plan, 4) })).toBe(false);
    expect(isJobOf(plan, { ...message, jobIndex: -1 })).toBe(false);
    expect(isJobOf(plan, { ...message, jobIndex: plan.size, jobId: 'r/none' })).toBe(false);
    expect(isJobOf(plan, jobMessage(plan, plan.size - 1, due).message)).toBe(true);
    expect(isJobOf(plan, jobMessage(plan, 0, due).message)).toBe(true);
  });

  it('refuses an index outside the plan even when its id is the one the plan would name there', () => {
    // Past either end the plan still spells an id (from undefined parts); a crafted message could carry it.
    const { message } = jobMessage(plan, 0, due);
    for (const index of [-1, plan.size, plan.size + 1]) expect(isJobOf(plan, { ...message, jobIndex: index, jobId: jobIdAt(plan, index) })).toBe(false);
  });
});
