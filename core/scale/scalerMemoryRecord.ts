import { z } from 'zod';
import { MalformedScalerMemoryError, ScalerMemoryTooLargeError, UnknownScalerMemoryVersionError } from '../errors/index.js';
import { BLOCK_ID } from '../plan/planBlock.js';
import { TIERS, type Tier } from '../tiers.js';
import type { HoldHistory, HoldMemory } from './holdScaleDown.js';
import type { RunPacing } from './runPacing.js';
import type { LaunchBudget } from './shareLaunches.js';
import type { LeaveRead } from './sizeFleet.js';

/** The version `encodeScalerMemory` writes and `decodeScalerMemory` reads. */
export const SCALER_MEMORY_VERSION = 1;

/** Runs whose pacing a record keeps: the first ones of `ScalerMemory.pacing` (the scaler keeps it most urgent first). */
export const SCALER_MEMORY_MAX_RUNS = 256;
/** Wants per tier the hold's memory keeps: the first (the highest, oldest) of the tier's staircase. */
export const SCALER_MEMORY_MAX_WANTS = 256;
/** Arrivals the hold's memory keeps: the newest (a live run dropped here is seen again at its proving start). */
export const SCALER_MEMORY_MAX_ARRIVALS = 256;
/** Leave reads per tier: the oldest (the one `leaveCounts` bounds by) and the newest after it. */
export const SCALER_MEMORY_MAX_LEAVE_READS = 128;
/**
 * The longest run id a record holds: a run is named by its plan's block id (`BLOCK_ID`: at most 64 ASCII letters,
 * digits, `_` and `-`, which JSON writes as they are); `runIdFor` makes at most 38.
 */
export const SCALER_MEMORY_MAX_RUN_ID_LENGTH = 64;

/**
 * The most bytes a record may take (UTF-8). It is stored as one attribute of one DynamoDB item, and "the maximum item
 * size in DynamoDB is 400 KB, which includes both attribute name binary length (UTF-8 length) and attribute value
 * lengths" (DynamoDB developer guide, "Service, account, and table quotas in Amazon DynamoDB": 400 KB = 409,600
 * bytes). A record at every cap above, every number at its longest JSON form and every run id at its longest, is
 * 210,372 bytes (`scalerMemoryRecord.test.ts` builds it); 300,000 leaves that and ~109 KB (409,600 − 300,000) for the item's key
 * (and, on the previous release's lease item, which held it until its first save in this one, the lease).
 */
export const SCALER_MEMORY_MAX_BYTES = 300_000;

/** A run's pacing as stored: everything but its reference schedule, which the run's plan and `capacity` rebuild. */
export type StoredPacing = Omit<RunPacing, 'reference'> & { readonly runId: string };

/** What a record is written from: a `ScalerMemory`, read only. */
export interface StorableScalerMemory {
  readonly pacing: ReadonlyMap<string, RunPacing>;
  readonly held: HoldMemory;
  readonly leaveReads: ReadonlyMap<Tier, readonly LeaveRead[]>;
  readonly launchBudget: LaunchBudget | null;
}

/** What a stored record gives back: the memory that survives a scaler's process, less what its plans rebuild. */
export interface RecalledScalerMemory {
  readonly pacing: readonly StoredPacing[];
  readonly held: HoldMemory;
  readonly leaveReads: ReadonlyMap<Tier, readonly LeaveRead[]>;
  readonly launchBudget: LaunchBudget | null;
}

// zod's numbers are finite: Infinity, -Infinity and NaN are refused.
const finite = z.number();
const runId = z.string().regex(BLOCK_ID);
const perTier = <T extends z.ZodTypeAny>(value: T) => z.strictObject({ heavy: value, light: value });
const sourceCapacity = z.strictObject({ now: finite, later: finite, laterAt: finite });

const recordSchema = z.strictObject({
  version: z.literal(SCALER_MEMORY_VERSION),
  pacing: z
    .array(
      z.strictObject({ runId, capacity: perTier(sourceCapacity), finishAt: finite, startsAt: finite, lagSeconds: finite }),
    )
    .max(SCALER_MEMORY_MAX_RUNS),
  held: z.strictObject({
    // arrivedMs null: the fleet found before any run (-Infinity in `WantedTarget`, which JSON cannot write).
    wants: perTier(z.array(z.strictObject({ atMs: finite, agents: finite, arrivedMs: finite.nullable() })).max(SCALER_MEMORY_MAX_WANTS)).partial(),
    arrivals: z.array(z.strictObject({ runId, atMs: finite })).max(SCALER_MEMORY_MAX_ARRIVALS),
  }),
  leaveReads: perTier(z.array(z.strictObject({ atMs: finite, left: finite })).max(SCALER_MEMORY_MAX_LEAVE_READS)).partial(),
  launchBudget: z.strictObject({ atMs: finite, tokens: finite }).nullable(),
});

type ScalerMemoryJson = z.infer<typeof recordSchema>;

/**
 * The scaler's memory as one versioned JSON record, for a scaler whose next tick may run in another process (a fresh
 * Lambda): the runs' pacing (without the reference schedules: `capacity` and the plan rebuild them), the hold's
 * memory, the leave reads and the launch bucket's estimate. Width profiles are left out: they depend on the plans
 * only. Each list is capped (`SCALER_MEMORY_MAX_*`), so the record always fits one stored item.
 */
export function encodeScalerMemory(memory: StorableScalerMemory): string {
  const record: ScalerMemoryJson = {
    version: SCALER_MEMORY_VERSION,
    pacing: [...memory.pacing].slice(0, SCALER_MEMORY_MAX_RUNS).map(([id, { capacity, finishAt, startsAt, lagSeconds }]) => ({
      runId: checkedRunId(id),
      capacity: { heavy: capacity.heavy, light: capacity.light },
      finishAt,
      startsAt,
      lagSeconds,
    })),
    held: {
      wants: storedPerTier(memory.held.wants, (history) =>
        history.slice(0, SCALER_MEMORY_MAX_WANTS).map((want) => ({ ...want, arrivedMs: want.arrivedMs === -Infinity ? null : want.arrivedMs })),
      ),
      arrivals: memory.held.arrivals.slice(-SCALER_MEMORY_MAX_ARRIVALS).map((arrival) => ({ runId: checkedRunId(arrival.runId), atMs: arrival.atMs })),
    },
    leaveReads: storedPerTier(memory.leaveReads, (reads) =>
      reads.length <= SCALER_MEMORY_MAX_LEAVE_READS ? [...reads] : [reads[0]!, ...reads.slice(1 - SCALER_MEMORY_MAX_LEAVE_READS)],
    ),
    launchBudget: memory.launchBudget,
  };
  const text = JSON.stringify(record);
  checkScalerMemorySize(text);
  return text;
}

/** Reads a record `encodeScalerMemory` wrote; throws the named error of what is wrong with it. */
export function decodeScalerMemory(text: string): RecalledScalerMemory {
  checkScalerMemorySize(text);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new MalformedScalerMemoryError('not JSON', text.slice(0, 200));
  }
  if (typeof json !== 'object' || json === null || !('version' in json)) throw new MalformedScalerMemoryError('no version', json);
  if (json.version !== SCALER_MEMORY_VERSION) throw new UnknownScalerMemoryVersionError(json.version, SCALER_MEMORY_VERSION);
  const parsed = recordSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new MalformedScalerMemoryError(`${issue.path.join('.') || '<root>'}: ${issue.message}`, json);
  }
  const { pacing, held, leaveReads, launchBudget } = parsed.data;
  return {
    pacing,
    held: {
      wants: recalledPerTier(held.wants, (wants): HoldHistory => wants.map((want) => ({ ...want, arrivedMs: want.arrivedMs ?? -Infinity }))),
      arrivals: held.arrivals,
    },
    leaveReads: recalledPerTier(leaveReads, (reads) => reads),
    launchBudget,
  };
}

/** Refuses a record bigger than `SCALER_MEMORY_MAX_BYTES` (UTF-8): every store of the record applies it. */
export function checkScalerMemorySize(text: string): void {
  const bytes = new TextEncoder().encode(text).length;
  if (bytes > SCALER_MEMORY_MAX_BYTES) throw new ScalerMemoryTooLargeError(bytes, SCALER_MEMORY_MAX_BYTES);
}

function checkedRunId(id: string): string {
  if (!BLOCK_ID.test(id)) throw new MalformedScalerMemoryError(`a run id must match ${String(BLOCK_ID)}`, id);
  return id;
}

function storedPerTier<T, U>(byTier: ReadonlyMap<Tier, T>, store: (value: T) => U): Partial<Record<Tier, U>> {
  const stored: Partial<Record<Tier, U>> = {};
  for (const tier of TIERS) {
    const value = byTier.get(tier);
    if (value !== undefined) stored[tier] = store(value);
  }
  return stored;
}

function recalledPerTier<T, U>(stored: Partial<Record<Tier, T>>, recall: (value: T) => U): Map<Tier, U> {
  const byTier = new Map<Tier, U>();
  for (const tier of TIERS) {
    const value = stored[tier];
    if (value !== undefined) byTier.set(tier, recall(value));
  }
  return byTier;
}
