import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MalformedScalerMemoryError, ScalerMemoryTooLargeError, UnknownScalerMemoryVersionError } from '../errors/index.js';
import { TIERS, type Tier } from '../tiers.js';
import type { WantedTarget } from './holdScaleDown.js';
import type { ReferenceSchedule } from './referenceSchedule.js';
import type { RunPacing } from './runPacing.js';
import { createScalerMemory, type ScalerMemory } from './scalerMemory.js';
import {
  decodeScalerMemory,
  encodeScalerMemory,
  SCALER_MEMORY_MAX_ARRIVALS,
  SCALER_MEMORY_MAX_BYTES,
  SCALER_MEMORY_MAX_LEAVE_READS,
  SCALER_MEMORY_MAX_RUN_ID_LENGTH,
  SCALER_MEMORY_MAX_RUNS,
  SCALER_MEMORY_MAX_WANTS,
  type RecalledScalerMemory,
} from './scalerMemoryRecord.js';
import type { LeaveRead } from './sizeFleet.js';

const T0 = 1_700_000_000_000;
/** Not stored: the plan and `capacity` rebuild it. */
const reference = {} as ReferenceSchedule;

const pacing = (overrides: Partial<RunPacing> = {}): RunPacing => ({
  reference,
  capacity: { heavy: { now: 4, later: 120, laterAt: 75.25 }, light: { now: 0, later: 0, laterAt: 75.25 } },
  finishAt: 533.6000000000001,
  startsAt: 75.25,
  lagSeconds: -1.5,
  ...overrides,
});

function memoryOf(parts: Partial<Pick<ScalerMemory, 'held' | 'launchBudget'>> & { pacing?: [string, RunPacing][]; leaveReads?: [Tier, LeaveRead[]][] }): ScalerMemory {
  const memory = createScalerMemory();
  for (const [runId, run] of parts.pacing ?? []) memory.pacing.set(runId, run);
  for (const [tier, reads] of parts.leaveReads ?? []) memory.leaveReads.set(tier, reads);
  if (parts.held) memory.held = parts.held;
  if (parts.launchBudget !== undefined) memory.launchBudget = parts.launchBudget;
  return memory;
}

/** What a record of `memory` must give back: all of it but the reference schedules and the plans' shapes. */
function recalledOf(memory: ScalerMemory): RecalledScalerMemory {
  return {
    pacing: [...memory.pacing].map(([runId, { reference: _rebuilt, ...stored }]) => ({ runId, ...stored })),
    held: memory.held,
    leaveReads: memory.leaveReads,
    launchBudget: memory.launchBudget,
  };
}

const stream = memoryOf({
  pacing: [
    ['b41-00112233aabbccdd', pacing()],
    ['b42-8899aabbccddeeff', pacing({ finishAt: 1_100, lagSeconds: 12.75 })],
  ],
  held: {
    wants: new Map<Tier, WantedTarget[]>([
      ['heavy', [{ atMs: T0, agents: 2_902, arrivedMs: -Infinity }, { atMs: T0 + 10_000, agents: 2_400, arrivedMs: T0 + 5_000 }]],
      ['light', [{ atMs: T0 + 10_000, agents: 5_803, arrivedMs: T0 + 5_000 }]],
    ]),
    arrivals: [{ runId: 'b41-00112233aabbccdd', atMs: T0 + 5_000 }, { runId: 'b42-8899aabbccddeeff', atMs: T0 + 77_000 }],
  },
  leaveReads: [['light', [{ atMs: T0 - 40_000, left: 31 }, { atMs: T0, left: 40 }]]],
  launchBudget: { atMs: T0 + 10_000, tokens: -212.5 },
});

describe('scaler memory record', () => {
  it('gives back what the scaler keeps across ticks, the fleet found before any run included', () => {
    const recalled = decodeScalerMemory(encodeScalerMemory(stream));
    expect(recalled).toEqual(recalledOf(stream));
    expect(recalled.held.wants.get('heavy')![0]!.arrivedMs).toBe(-Infinity);
  });

  it('gives back an empty memory as empty', () => {
    const empty = createScalerMemory();
    expect(decodeScalerMemory(encodeScalerMemory(empty))).toEqual(recalledOf(empty));
  });

  it('round-trips any memory within its caps, exactly (property)', () => {
    // JSON writes -0 as 0, which no figure of the scaler tells apart.
    const number = fc.double({ noNaN: true, noDefaultInfinity: true }).map((x) => (x === 0 ? 0 : x));
    const id = fc.stringMatching(/^[A-Za-z0-9_-]{1,64}$/);
    const capacity = fc.record({ now: number, later: number, laterAt: number });
    const run = fc.record({ capacity: fc.record({ heavy: capacity, light: capacity }), finishAt: number, startsAt: number, lagSeconds: number });
    const want = fc.record({ atMs: number, agents: number, arrivedMs: fc.oneof(number, fc.constant(-Infinity)) });
    const tiers = <T>(value: fc.Arbitrary<T>) => fc.subarray([...TIERS]).chain((present) => fc.tuple(...present.map((tier) => value.map((v) => [tier, v] as const))));
    const memory = fc
      .record({
        pacing: fc.uniqueArray(fc.tuple(id, run), { maxLength: 20, selector: ([runId]) => runId }),
        wants: tiers(fc.array(want, { maxLength: 10 })),
        arrivals: fc.array(fc.record({ runId: id, atMs: number }), { maxLength: 10 }),
        leaveReads: tiers(fc.array(fc.record({ atMs: number, left: number }), { maxLength: 10 })),
        launchBudget: fc.option(fc.record({ atMs: number, tokens: number })),
      })
      .map((m) =>
        memoryOf({
          pacing: m.pacing.map(([runId, stored]) => [runId, { ...stored, reference }]),
          held: { wants: new Map(m.wants), arrivals: m.arrivals },
          leaveReads: m.leaveReads.map(([tier, reads]) => [tier, reads]),
          launchBudget: m.launchBudget,
        }),
      );
    fc.assert(
      fc.property(memory, (m) => {
        const text = encodeScalerMemory(m);
        const recalled = decodeScalerMemory(text);
        expect(recalled).toEqual(recalledOf(m));
        // A memory rebuilt from a record writes the same record.
        expect(encodeScalerMemory({ ...recalled, pacing: new Map(recalled.pacing.map(({ runId, ...stored }) => [runId, { ...stored, reference }])) })).toBe(text);
      }),
    );
  });

  it('keeps at most its caps: the most urgent runs, the highest wants, the newest arrivals, the oldest and newest leave reads', () => {
    const many = <T>(count: number, make: (i: number) => T) => Array.from({ length: count }, (_, i) => make(i));
    const memory = memoryOf({
      pacing: many(300, (i) => [`b${i}-00112233aabbccdd`, pacing({ finishAt: i })]),
      held: {
        wants: new Map([['heavy', many(300, (i) => ({ atMs: T0 + i, agents: 1_000 - i, arrivedMs: T0 }))]]),
        arrivals: many(300, (i) => ({ runId: `b${i}-00112233aabbccdd`, atMs: T0 + i })),
      },
      leaveReads: [['light', many(200, (i) => ({ atMs: T0 + i, left: i }))]],
    });
    const recalled = decodeScalerMemory(encodeScalerMemory(memory));
    expect(recalled.pacing.map((run) => run.finishAt)).toEqual(many(SCALER_MEMORY_MAX_RUNS, (i) => i));
    expect(recalled.held.wants.get('heavy')!.map((want) => want.agents)).toEqual(many(SCALER_MEMORY_MAX_WANTS, (i) => 1_000 - i));
    expect(recalled.held.arrivals.map((arrival) => arrival.atMs)).toEqual(many(SCALER_MEMORY_MAX_ARRIVALS, (i) => T0 + 300 - SCALER_MEMORY_MAX_ARRIVALS + i));
    const reads = recalled.leaveReads.get('light')!.map((read) => read.left);
    expect(reads).toEqual([0, ...many(SCALER_MEMORY_MAX_LEAVE_READS - 1, (i) => 200 - SCALER_MEMORY_MAX_LEAVE_READS + 1 + i)]);
  });

  it('fits one DynamoDB item at every cap, with every number and run id at its longest', () => {
    // The longest JSON form of a finite double: sign, "0.", five zeros, 17 significant digits.
    const longest = -0.0000012345678901234567;
    expect(JSON.stringify(longest)).toHaveLength(25);
    const id = (i: number) => `${i}`.padStart(SCALER_MEMORY_MAX_RUN_ID_LENGTH, 'x');
    const capacity = { now: longest, later: longest, laterAt: longest };
    const many = <T>(count: number, make: (i: number) => T) => Array.from({ length: count }, (_, i) => make(i));
    const worst = memoryOf({
      pacing: many(SCALER_MEMORY_MAX_RUNS, (i) => [id(i), { reference, capacity: { heavy: capacity, light: capacity }, finishAt: longest, startsAt: longest, lagSeconds: longest }]),
      held: {
        wants: new Map(TIERS.map((tier) => [tier, many(SCALER_MEMORY_MAX_WANTS, () => ({ atMs: longest, agents: longest, arrivedMs: longest }))])),
        arrivals: many(SCALER_MEMORY_MAX_ARRIVALS, (i) => ({ runId: id(i), atMs: longest })),
      },
      leaveReads: TIERS.map((tier) => [tier, many(SCALER_MEMORY_MAX_LEAVE_READS, () => ({ atMs: longest, left: longest }))]),
      launchBudget: { atMs: longest, tokens: longest },
    });
    const bytes = new TextEncoder().encode(encodeScalerMemory(worst)).length;
    // The figure SCALER_MEMORY_MAX_BYTES's comment and docs/fleet.md give; DynamoDB's item limit is 409,600 bytes.
    expect(bytes).toBe(210_372);
    expect(bytes).toBeLessThan(SCALER_MEMORY_MAX_BYTES);
  });

  it('refuses a run id it could not read back, and a record too large to store', () => {
    const long = 'b'.repeat(SCALER_MEMORY_MAX_RUN_ID_LENGTH + 1);
    expect(() => encodeScalerMemory(memoryOf({ pacing: [[long, pacing()]] }))).toThrow(MalformedScalerMemoryError);
    expect(() => encodeScalerMemory(memoryOf({ held: { wants: new Map(), arrivals: [{ runId: 'b1/"', atMs: T0 }] } }))).toThrow(MalformedScalerMemoryError);
    expect(() => decodeScalerMemory(' '.repeat(SCALER_MEMORY_MAX_BYTES + 1))).toThrow(ScalerMemoryTooLargeError);
  });

  it('names what is wrong with a record it cannot read', () => {
    const good = JSON.parse(encodeScalerMemory(stream)) as Record<string, unknown>;
    const bad = (record: unknown) => JSON.stringify(record);
    expect(() => decodeScalerMemory('{"version":1,')).toThrow(MalformedScalerMemoryError);
    expect(() => decodeScalerMemory('null')).toThrow(MalformedScalerMemoryError);
    expect(() => decodeScalerMemory(bad({ ...good, version: undefined }))).toThrow(MalformedScalerMemoryError);
    expect(() => decodeScalerMemory(bad({ ...good, version: 2 }))).toThrow(UnknownScalerMemoryVersionError);
    expect(() => decodeScalerMemory(bad({ ...good, version: '1' }))).toThrow(UnknownScalerMemoryVersionError);
    expect(() => decodeScalerMemory(bad({ ...good, launchBudget: { atMs: T0 } }))).toThrow(/launchBudget\.tokens/);
    expect(() => decodeScalerMemory(bad({ ...good, pacing: [{ runId: 'b1', finishAt: null }] }))).toThrow(MalformedScalerMemoryError);
    expect(() => decodeScalerMemory(bad({ ...good, extra: true }))).toThrow(MalformedScalerMemoryError);
    expect(() => decodeScalerMemory(bad({ ...good, leaveReads: { medium: [] } }))).toThrow(MalformedScalerMemoryError);
    const tooMany = Array.from({ length: SCALER_MEMORY_MAX_ARRIVALS + 1 }, () => ({ runId: 'b1', atMs: T0 }));
    expect(() => decodeScalerMemory(bad({ ...good, held: { wants: {}, arrivals: tooMany } }))).toThrow(MalformedScalerMemoryError);
  });
});
