import { describe, expect, it } from 'vitest';
import { syntheticBlockBody } from '../../core/body/syntheticBlockBody.js';
import { jobIdAt } from '../../core/plan/jobAt.js';
import { planBlock } from '../../core/plan/planBlock.js';
import { rfp2023 } from '../../core/profiles/rfp2023.js';
import { SIM_EPOCH_MS } from './eventLoop.js';
import { tierInstanceType } from '../model/instanceSlots.js';
import { DEFAULT_SIM_MODEL, type SimModel } from '../model/model.js';
import { SCENARIO_NAMES, getScenario } from './scenarios.js';
import { simulateRun, type RunOutcome, type ScalingPolicy } from './simulateRun.js';

const plan = planBlock(syntheticBlockBody({ txs: 64, publicCalls: { kind: 'fixed', calls: 2 }, seed: 'inv' }), rfp2023, {
  blockId: 'inv',
  trusted: true,
});
// Faults inside a 64-tx block (critical path 330 s), and enough background Spot reclaims to interrupt some proofs.
const model: SimModel = {
  ...DEFAULT_SIM_MODEL,
  spot: { ...DEFAULT_SIM_MODEL.spot, interruptionsPerInstanceHour: 3 },
  faults: { spotStorm: { atSeconds: 60, fraction: 0.5 }, kill: { atSeconds: 70, fraction: 0.3 } },
};
const run = (scenario: string, seed = 'a', policy: ScalingPolicy = 'scaler') =>
  simulateRun({ plan, model, scenario: getScenario(scenario, model), seed, policy, engine: 'fast', deadlineSeconds: 660, audit: true });

/** Everything a run reports that does not depend on how fast this machine is. */
const figures = ({ wallMs: _wall, ledger: _ledger, fleet: _fleet, attempts: _attempts, ...rest }: RunOutcome) => rest;

describe.each(SCENARIO_NAMES)('a simulated block (%s)', (scenario) => {
  it('proves every job exactly once, attempting it again only after an interruption', async () => {
    const outcome = await run(scenario);
    expect(outcome.makespanSeconds).not.toBeNull();
    for (let job = 0; job < plan.size; job++) {
      const id = jobIdAt(plan, job);
      expect(outcome.ledger.completionsByJob.get(id), id).toBe(1);
      expect(outcome.attempts.get(id), id).toBe(1 + (outcome.ledger.interruptionsByJob.get(id) ?? 0));
    }
    expect(outcome.proofs.completions).toBe(plan.size);
    expect(outcome.proofs.duplicates).toBe(0);
  });

  it('never has an agent prove two jobs at once', async () => {
    expect((await run(scenario)).ledger.overlaps).toBe(0);
  });

  it('bills every instance from running to termination, at least the minimum, and the bills add up', async () => {
    const outcome = await run(scenario);
    for (const instance of outcome.fleet.instances) expect(instance.terminatedAt, `instance ${instance.id}`).toBeGreaterThan(0);
    for (const bill of outcome.bills) {
      const prices = tierInstanceType(model, bill.tier).usdPerHour;
      const price = bill.spot ? prices.spot : prices.onDemand;
      // EC2 charges nothing for a Spot instance it interrupts in its first hour; only reclaimed ones are waived.
      expect(bill.usd).toBeCloseTo(bill.waived ? 0 : (bill.billedSeconds * price) / 3_600, 9);
      if (bill.waived) expect(outcome.fleet.instances[bill.instance]!.reclaimed).toBe(true);
      const instance = outcome.fleet.instances[bill.instance]!;
      if (instance.minimumApplies) expect(bill.billedSeconds).toBeGreaterThanOrEqual(model.ec2.billingMinimumSeconds);
      expect(bill.billedSeconds).toBeGreaterThanOrEqual((instance.terminatedAt - instance.billedFrom) / 1_000 - 1e-9);
    }
    expect(outcome.computeCostUsd).toBeCloseTo(outcome.bills.reduce((total, bill) => total + bill.usd, 0), 9);
    // The breakdown accounts for every dollar of the bill.
    const categories = Object.values(outcome.costBreakdown).reduce((total, row) => total + row.usd, 0);
    expect(categories).toBeCloseTo(outcome.computeCostUsd, 6);
    expect(outcome.costBreakdown.proving.usd).toBeCloseTo(outcome.computeLowerBoundUsd, 6);
    // Every agent lived inside its instance's billed time.
    for (const agent of outcome.fleet.agents.filter((a) => a.startedAt > 0)) {
      expect(agent.startedAt).toBeGreaterThanOrEqual(agent.instance!.billedFrom);
      expect(agent.endedAt).toBeLessThanOrEqual(agent.instance!.terminatedAt);
    }
  });

  it('gives identical output for the same seed and different output for another', async () => {
    const [first, again, other] = await Promise.all([run(scenario, 'a'), run(scenario, 'a'), run(scenario, 'b')]);
    expect(figures(again)).toEqual(figures(first));
    expect(figures(other)).not.toEqual(figures(first));
  });
});

describe('the faults', () => {
  it('kill-30 takes agents away without notice and reports when their jobs were proven again', async () => {
    const outcome = await run('kill-30');
    const killed = outcome.fleet.agents.filter((agent) => agent.state === 'killed');
    expect(killed.length).toBeGreaterThan(0);
    expect(killed.every((agent) => agent.endedAt === SIM_EPOCH_MS + model.faults.kill.atSeconds * 1_000)).toBe(true);
    expect(outcome.faultAtSeconds).toBe(model.faults.kill.atSeconds);
    // Lost jobs come back only when their visibility times out.
    expect(outcome.recoverySeconds).toBeGreaterThan(model.agent.visibilityMs / 1_000 - model.agent.heartbeatMs / 1_000);
  });

  it('a Spot storm gives the notice, and the agents hand their jobs back before the machines go', async () => {
    const outcome = await run('spot-storm');
    expect(outcome.proofs.interrupted).toBeGreaterThan(0);
    expect(outcome.fleet.agents.filter((agent) => agent.state === 'killed')).toHaveLength(0);
  });
});

describe('the reactive baseline', () => {
  it('proves the same block with the same agents, sizing tiers from queue depth alone', async () => {
    const [scaler, reactive] = await Promise.all([run('cold'), run('cold', 'a', 'reactive')]);
    expect(reactive.proofs.completions).toBe(plan.size);
    // The same work: only proofs redone after an interruption draw other durations.
    expect(Math.abs(reactive.computeLowerBoundUsd / scaler.computeLowerBoundUsd - 1)).toBeLessThan(0.01);
    // At the first tick every VM is queued: the reactive rule asks for one agent per message.
    expect(reactive.agentsLaunched.heavy).toBeGreaterThanOrEqual(plan.countsByKind.vm!);
  });
});
