import { describe, expect, it } from 'vitest';
import type { TierTarget } from '../ports/fleetTargets.js';
import { TIERS } from '../tiers.js';
import { sampleRun } from '../../test/support/sampleRun.js';
import { scalingPlan } from '../../test/support/scalingFixtures.js';
import { EMPTY_HOLD_MEMORY, holdScaleDown, type HoldMemory } from './holdScaleDown.js';
import type { FleetObservation } from './observeFleet.js';
import type { FleetSizing, TierDecision } from './sizeFleet.js';
import { widthProfile } from './widthProfile.js';

const T0 = 1_700_000_000_000;
const profile = widthProfile(scalingPlan);
/** A live run that started proving `seconds` after T0. */
const runAt = (runId: string, seconds: number) => ({ run: sampleRun({ runId, state: 'proving', provingStartedAt: T0 + seconds * 1_000 }), profile, doneJobs: null });
/** A stream: a block every 72 s from 0; at `seconds`, the blocks revealed within the last 300 s are live. */
const stream = (seconds: number) =>
  Array.from({ length: Math.floor(seconds / 72) + 1 }, (_, k) => runAt(`s${k}`, k * 72)).filter(({ run }) => run.provingStartedAt > T0 + (seconds - 300) * 1_000);
const settings = { maxAgents: { heavy: 1_000, light: 1_000 }, scaleDownHoldSeconds: 300 };

/** One tick: the heavy tier counts `have` agents and the sizing wants `wanted` (light: nothing, no agents). */
function tick(seconds: number, have: number, wanted: number, stop = 0, runs = stream(seconds)) {
  const decision = (target: number, stopping: number): TierDecision => ({ desired: target, start: 0, target, stop: stopping, spot: true, why: 'sized' });
  const target = (agents: number, observed: number): TierTarget => ({
    agents,
    observed,
    quotaAgents: 1_000,
    aboveSince: observed > agents ? T0 : null,
    leftAtCount: 0,
    leftBefore: 0,
    work: [],
    publishedAt: T0 + seconds * 1_000,
  });
  const sizing: FleetSizing = {
    tiers: { heavy: decision(wanted, stop), light: decision(0, 0) },
    targets: { heavy: target(wanted, have), light: target(0, 0) },
    pacing: new Map(),
    leaveReads: new Map(),
    order: [],
    latestStarts: new Map(),
  };
  const agents = (count: number) => ({ running: count, starting: 0 });
  const observation: Pick<FleetObservation, 'wallMs' | 'tiers' | 'runs'> = {
    wallMs: T0 + seconds * 1_000,
    runs,
    tiers: {
      heavy: { depth: { ready: 0, inFlight: 0 }, agents: agents(have), published: null },
      light: { depth: { ready: 0, inFlight: 0 }, agents: agents(0), published: null },
    },
  };
  return { sizing, observation };
}

/** Runs ticks through the hold, carrying its history as the scaler's memory does; the held heavy decisions. */
function walk(ticks: readonly { seconds: number; have: number; wanted: number; stop?: number; runs?: ReturnType<typeof stream> }[], hold = settings) {
  let memory: HoldMemory = EMPTY_HOLD_MEMORY;
  return ticks.map(({ seconds, have, wanted, stop, runs }) => {
    const { sizing, observation } = tick(seconds, have, wanted, stop, runs);
    const held = holdScaleDown(sizing, observation, memory, hold);
    memory = held.memory;
    return { decision: held.sizing.tiers.heavy, target: held.sizing.targets.heavy };
  });
}

describe('holdScaleDown', () => {
  it('holds the target at the most wanted over the window, then releases it once that want is older than the window', () => {
    const [peak, dip, late, after] = walk([
      { seconds: 0, have: 800, wanted: 800 },
      { seconds: 100, have: 800, wanted: 200 },
      { seconds: 299, have: 800, wanted: 300 },
      { seconds: 301, have: 800, wanted: 300 },
    ]);
    expect(peak!.target.agents).toBe(800);
    expect(dip!.target.agents).toBe(800);
    expect(dip!.target.aboveSince).toBeNull();
    expect(late!.target.agents).toBe(800);
    // The 800 is 301 s old: the most wanted since is 300 (at 299 s), not the 200 before it.
    expect(after!.target.agents).toBe(300);
    expect(after!.target.aboveSince).toBe(T0);
  });

  it('lets no agent go across a gap between two blocks shorter than the window', () => {
    const targets = walk([
      { seconds: 0, have: 600, wanted: 600 },
      ...Array.from({ length: 20 }, (_, i) => ({ seconds: 80 + i * 10, have: 600, wanted: 0 })),
      { seconds: 290, have: 600, wanted: 700 },
    ]).map(({ target }) => target);
    expect(targets.every((target) => target.agents >= 600 && target.aboveSince === null)).toBe(true);
    expect(targets.at(-1)!.agents).toBe(700);
  });

  it('starts the history with the agents it finds: a standing fleet is held for a window, whatever the first tick wants', () => {
    const [first, later, released] = walk([
      { seconds: 0, have: 900, wanted: 100 },
      { seconds: 250, have: 900, wanted: 100 },
      { seconds: 310, have: 900, wanted: 100 },
    ]);
    expect(first!.target.agents).toBe(900);
    expect(later!.target.agents).toBe(900);
    expect(released!.target.agents).toBe(100);
  });

  it('only keeps agents that are there: never above the agents counted or the quota, and it starts none', () => {
    const [, fewer] = walk([
      { seconds: 0, have: 900, wanted: 900 },
      { seconds: 80, have: 400, wanted: 100 },
    ]);
    expect(fewer!.target.agents).toBe(400);
    expect(fewer!.decision.start).toBe(0);
    const [capped] = walk([{ seconds: 0, have: 1_200, wanted: 100 }]);
    expect(capped!.target.agents).toBe(1_000);
  });

  it('stops no straggler the held target still wants, and names the hold', () => {
    const [, held] = walk([
      { seconds: 0, have: 500, wanted: 500 },
      { seconds: 120, have: 500, wanted: 100, stop: 50 },
    ]);
    expect(held!.decision.stop).toBe(0);
    expect(held!.decision.why).toContain('held at 500 agents (the most wanted in the last 300 s, 100 now; a block arrived since)');
  });

  it('holds nothing with the window at 0', () => {
    const [, dip] = walk(
      [
        { seconds: 0, have: 500, wanted: 500 },
        { seconds: 10, have: 500, wanted: 100, stop: 0 },
      ],
      { ...settings, scaleDownHoldSeconds: 0 },
    );
    expect(dip!.target.agents).toBe(100);
  });

  it('holds nothing, and forgets what it held, when no run is live: an idle firm pays for no fleet', () => {
    const { sizing, observation } = tick(0, 500, 500);
    const first = holdScaleDown(sizing, observation, EMPTY_HOLD_MEMORY, settings);
    expect(first.memory.wants.get('heavy')!.length).toBeGreaterThan(0);
    const idle = tick(30, 500, 0, 0, []);
    const released = holdScaleDown(idle.sizing, idle.observation, first.memory, settings);
    expect(released.sizing.targets.heavy.agents).toBe(0);
    expect(released.memory).toEqual(EMPTY_HOLD_MEMORY);
    for (const tier of TIERS) expect(released.sizing.tiers[tier]).toBe(idle.sizing.tiers[tier]);
  });

  it("lets an isolated block's peak go once its work no longer wants it: no other run started within the window", () => {
    const alone = [runAt('b1', 0)];
    const [peak, done, later] = walk([
      { seconds: 0, have: 800, wanted: 800, runs: alone },
      { seconds: 60, have: 800, wanted: 100, runs: alone },
      { seconds: 120, have: 100, wanted: 20, runs: alone },
    ]);
    expect(peak!.target.agents).toBe(800);
    expect(done!.target.agents).toBe(100);
    expect(done!.target.aboveSince).toBe(T0);
    expect(done!.decision.why).not.toContain('held');
    expect(later!.target.agents).toBe(20);
  });

  it("keeps a stream's peak across the gap between its blocks, even after the block that wanted it is done", () => {
    // b1 peaks at 600 and ends; b2 (started at 72 s) wants little; b3 arrives at 250 s and wants 700.
    const targets = walk([
      { seconds: 0, have: 600, wanted: 600, runs: [runAt('b1', 0)] },
      { seconds: 72, have: 600, wanted: 300, runs: [runAt('b1', 0), runAt('b2', 72)] },
      { seconds: 150, have: 600, wanted: 50, runs: [runAt('b2', 72)] },
      { seconds: 240, have: 600, wanted: 0, runs: [runAt('b2', 72)] },
      { seconds: 250, have: 600, wanted: 700, runs: [runAt('b2', 72), runAt('b3', 250)] },
    ]).map(({ target }) => target.agents);
    expect(targets).toEqual([600, 600, 600, 600, 700]);
  });

  it('releases a stream one window after its last-but-one block started: the drain pays for no held peak', () => {
    const [, , draining, drained] = walk([
      { seconds: 0, have: 600, wanted: 600, runs: [runAt('b1', 0)] },
      { seconds: 72, have: 600, wanted: 500, runs: [runAt('b1', 0), runAt('b2', 72)] },
      { seconds: 299, have: 600, wanted: 100, runs: [runAt('b2', 72)] },
      { seconds: 301, have: 600, wanted: 100, runs: [runAt('b2', 72)] },
    ]);
    expect(draining!.target.agents).toBe(600);
    // b1 started 301 s ago: b2 is the only run started within the window, and its own needs are in the sizing.
    expect(drained!.target.agents).toBe(100);
  });
});
