import { describe, expect, it } from 'vitest';
import { EventLoop, SIM_EPOCH_MS } from '../engine/eventLoop.js';
import { ProofLedger } from '../engine/proofLedger.js';
import { agentUsdPerHour } from '../model/instanceSlots.js';
import type { SimModel } from '../model/model.js';
import { FIXED_DELAYS_MODEL } from '../world/fixedDelaysModel.js';
import { WHOLE_TIME, type AccountingWindow } from '../world/accountingWindow.js';
import { createFleet, type FleetAgent } from '../world/fleet.js';
import { breakdownTotal, COST_CATEGORIES, costBreakdown, type CostBreakdown } from './costBreakdown.js';

// Fixed delays (FIXED_DELAYS_MODEL: launch 10 s, boot 20 s, pull 10 s, scale-in 30 s), so every second can be checked
// by hand; one c7i.48xlarge light instance holds 24 light agents.
const model: SimModel = {
  ...FIXED_DELAYS_MODEL,
  batch: { ...FIXED_DELAYS_MODEL.batch, maxArraySize: 100 },
  ec2: { ...FIXED_DELAYS_MODEL.ec2, instanceTypes: { heavy: 'c7i.48xlarge', light: 'c7i.48xlarge' } },
  account: { maxVcpus: { heavy: 192, light: 192 } },
};

const at = (seconds: number) => SIM_EPOCH_MS + seconds * 1_000;

/**
 * Two light agents on one 24-slot instance (running from 15 s; ready at 45 s; both agents up at 48 s, after their
 * container starts, 3 s). Agent A proves [60, 100) and leaves its tier at 130 s; agent B proves [50, 70), proves A's
 * job again [105, 115), and exits idle at 200 s; the empty instance is scaled in at 230 s.
 */
async function tinyStream(window: AccountingWindow): Promise<CostBreakdown> {
  const loop = new EventLoop();
  const ledger = new ProofLedger(false, () => loop.now, window);
  const fleet = createFleet({ loop, model, seedKey: 1, warmUntil: -Infinity, accounting: window, spawn: () => ({ stop() {}, notice() {}, kill() {}, busy: false }) });
  await fleet.start('light', 2, { spot: true, reason: 'test' });
  const agent = (index: number): FleetAgent => fleet.agents[index]!;
  const prove = (index: number, job: string, from: number, to: number) => {
    loop.at(at(from), () => ledger.started(agent(index).id, job));
    loop.at(at(to), () => ledger.proved(agent(index).id, job, 'light', to - from));
  };
  prove(0, 'a', 60, 100);
  prove(1, 'b', 50, 70);
  prove(1, 'a', 105, 115);
  loop.at(at(130), () => fleet.agentExited(agent(0), 'left'));
  loop.at(at(200), () => fleet.agentExited(agent(1), 'idle'));
  await loop.run({ until: () => false, limitMs: at(1_000), settleEveryEvent: false });
  expect(fleet.instances[0]!.terminatedAt).toBe(at(230));
  return costBreakdown({ instances: fleet.instances, agents: fleet.agents, model, workBy: (id) => ledger.workBy(id), now: loop.now, window });
}

const lightSeconds = (breakdown: CostBreakdown) =>
  Object.fromEntries(COST_CATEGORIES.filter((category) => breakdown[category].seconds.light !== 0).map((category) => [category, breakdown[category].seconds.light]));

describe('costBreakdown', () => {
  it('splits a window of billed slot-time by what each slot did, and the rows add up to the window bill', async () => {
    const breakdown = await tinyStream({ from: at(40), to: at(210) });
    // 24 slots × 170 s: pull [40, 45); A [45, 130) and B [45, 200) beside 22 then 23 empty slots, each starting its
    // container [45, 48); no agent [200, 210). A: lead-in 12, proving 40, idle 30 until it left; B: lead-in 2,
    // proving 20, a duplicate 10, 35 between proofs, idle 85 until its idle exit.
    expect(lightSeconds(breakdown)).toEqual({
      proving: 60,
      repeatedProving: 10,
      imagePull: 5 * 24,
      containerStart: 2 * 3,
      agentLeadIn: 12 + 2,
      betweenProofs: 35,
      idleUntilLeft: 30,
      idleUntilIdleExit: 85,
      emptySlots: 85 * 22 + 70 * 23,
      scaleIn: 10 * 24,
    });
    const total = breakdownTotal(breakdown);
    expect(total.seconds.light).toBe(170 * 24);
    expect(total.usd).toBeCloseTo((170 * 24 * agentUsdPerHour(model, 'light').spot) / 3_600, 9);
  });

  it('counts only the part of a proof inside the window', async () => {
    const breakdown = await tinyStream({ from: at(65), to: at(210) });
    // A's proof [60, 100) counts 35 s, B's [50, 70) 5 s; both agents were up before the window (no lead-in).
    expect(lightSeconds(breakdown)).toMatchObject({ proving: 40, repeatedProving: 10, betweenProofs: 35, idleUntilLeft: 30, idleUntilIdleExit: 85 });
    expect(breakdownTotal(breakdown).seconds.light).toBe(145 * 24);
  });

  it('over all time, bills boot and the whole instance life; the window rows sum to the same rule', async () => {
    const breakdown = await tinyStream(WHOLE_TIME);
    expect(lightSeconds(breakdown)).toMatchObject({ boot: 20 * 24, imagePull: 10 * 24, proving: 60, idleUntilIdleExit: 85, scaleIn: 30 * 24 });
    expect(breakdownTotal(breakdown).seconds.light).toBe((230 - 15) * 24);
  });
});
