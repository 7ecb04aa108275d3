import { describe, expect, it } from 'vitest';
import { syntheticBlockBody } from '../../core/body/syntheticBlockBody.js';
import { planBlock } from '../../core/plan/planBlock.js';
import { rfp2023 } from '../../core/profiles/rfp2023.js';
import { DEFAULT_SIM_MODEL, type SimModel } from '../model/model.js';
import { SCENARIO_NAMES, getScenario } from './scenarios.js';
import { simulateRun, type AgentEngine, type RunOutcome } from './simulateRun.js';

const plan = planBlock(syntheticBlockBody({ txs: 48, publicCalls: { kind: 'fixed', calls: 2 }, seed: 'eq' }), rfp2023, {
  blockId: 'eq',
  trusted: true,
});
// Faults early enough to hit a 48-tx block, and background Spot reclaims frequent enough to happen in one. A notice
// margin that leaves 35 s of the notice: a 30-s proof at least ~13 s in is finished, an earlier one handed back.
const model: SimModel = {
  ...DEFAULT_SIM_MODEL,
  agent: { ...DEFAULT_SIM_MODEL.agent, interruptionMarginMs: 85_000 },
  spot: { ...DEFAULT_SIM_MODEL.spot, interruptionsPerInstanceHour: 2 },
  faults: { spotStorm: { atSeconds: 70, fraction: 0.5 }, kill: { atSeconds: 80, fraction: 0.3 } },
};

const run = (engine: AgentEngine, scenario: string) =>
  simulateRun({ plan, model, scenario: getScenario(scenario, model), seed: 'same', policy: 'scaler', engine, deadlineSeconds: 600, audit: true });

/**
 * Everything a run reports that does not depend on how fast this machine is, but the count of events: the fast path
 * does not schedule heartbeat timers that cannot fire before the proof ends, and the real loop's timer of an agent
 * killed mid-proof still fires (on a dead agent, to no effect).
 */
function observable(outcome: RunOutcome) {
  const { wallMs: _wall, eventsFired: _events, ledger, fleet, attempts, ...figures } = outcome;
  return {
    ...figures,
    completionsByJob: [...ledger.completionsByJob].sort(),
    attempts: [...attempts].sort(),
    agents: fleet.agents.map((agent) => [agent.id, agent.state, agent.startedAt, agent.endedAt]),
  };
}

describe('the fast path', () => {
  it.each(SCENARIO_NAMES)('reproduces the real agent loop event for event (%s)', async (scenario) => {
    const [real, fast] = await Promise.all([run('real', scenario), run('fast', scenario)]);
    expect(real.makespanSeconds).not.toBeNull();
    expect(observable(fast)).toEqual(observable(real));
  });

  it('counts the reads of agents killed in the middle of a multi-request wait as the real loop does', async () => {
    // S3 GETs of seconds: the kill at 80 s finds agents between the reads they batch into one wait (run record, body
    // and planning; the children's proofs), and only the GETs they started may count.
    const slowReads: SimModel = { ...model, latencyMs: { ...model.latencyMs, s3Get: { kind: 'logNormal', median: 4_000, sigma: 0.3 } } };
    const runWith = (engine: AgentEngine) =>
      simulateRun({ plan, model: slowReads, scenario: getScenario('kill-30', slowReads), seed: 'same', policy: 'scaler', engine, deadlineSeconds: 900, audit: true });
    const [real, fast] = await Promise.all([runWith('real'), runWith('fast')]);
    expect(real.makespanSeconds).not.toBeNull();
    expect(observable(fast)).toEqual(observable(real));
  });

  it("finishes on Spot's notice the proofs that fit, and hands back the rest", async () => {
    const storm = (interruptionMarginMs: number) => {
      const withMargin: SimModel = { ...model, agent: { ...model.agent, interruptionMarginMs } };
      return simulateRun({ plan, model: withMargin, scenario: getScenario('spot-storm', withMargin), seed: 'same', policy: 'scaler', engine: 'fast', deadlineSeconds: 600 });
    };
    // A margin as long as the notice finishes nothing (every proof in hand goes back, as before the rule).
    const [none, some, all] = await Promise.all([storm(120_000), storm(85_000), storm(0)]);
    expect(none.proofs.interrupted).toBeGreaterThan(some.proofs.interrupted);
    expect(some.proofs.interrupted).toBeGreaterThan(0);
    expect(all.proofs.interrupted).toBeLessThan(some.proofs.interrupted);
  });

  it('is exercised by the faults it claims to reproduce', async () => {
    const [storm, kill] = await Promise.all([run('fast', 'spot-storm'), run('fast', 'kill-30')]);
    expect(storm.proofs.interrupted).toBeGreaterThan(0);
    expect(kill.proofs.interrupted).toBeGreaterThan(0);
    expect(kill.recoverySeconds).toBeGreaterThan(0);
  });
});
