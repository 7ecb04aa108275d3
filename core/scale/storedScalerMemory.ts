import { MalformedScalerMemoryError, ScalerMemoryTooLargeError, UnknownScalerMemoryVersionError } from '../errors/index.js';
import type { FleetTargets } from '../ports/fleetTargets.js';
import type { Logger } from '../ports/logger.js';
import type { RunContexts } from '../run/runContexts.js';
import { EMPTY_HOLD_MEMORY } from './holdScaleDown.js';
import { profileOf } from './observeFleet.js';
import { referenceSchedule } from './referenceSchedule.js';
import type { ScalerMemory } from './scalerMemory.js';
import { decodeScalerMemory, encodeScalerMemory } from './scalerMemoryRecord.js';

export interface StoredScalerMemoryDependencies {
  readonly targets: FleetTargets;
  readonly runs: RunContexts;
  readonly log: Logger;
  readonly scaler: ScalerMemory;
}

/**
 * Brings the scaler's memory up to what the last tick saved, at the start of a tick that holds the lease: nothing to
 * do when that tick was this process's (its memory is current) or nothing was ever saved; otherwise the stored record
 * replaces the memory, and each live run's reference schedule is rebuilt from its plan and stored capacity (runs no
 * longer live are left out). A record that cannot be read is a warning, and the tick starts from empty memory (the
 * plans' shapes, which depend on the plans only, are kept); a store that fails to load it (throttling, a 5xx, a
 * malformed item) is a warning too, and the tick goes on with this process's own memory, as it is. The scaler never
 * stops for its memory.
 */
export async function recallScalerMemory(deps: StoredScalerMemoryDependencies, liveRunIds: readonly string[]): Promise<void> {
  const { scaler } = deps;
  let text: string | null;
  try {
    text = await deps.targets.loadScalerMemory();
  } catch (error) {
    // Throttling, a 5xx, a malformed item: the store, not the record, failed. This process's own memory (empty in a
    // fresh one) is kept: if this process ran the last tick it is current, and if another did it is older, which is
    // still no worse than empty (the pacing of runs it knows, the hold's wants, the leave reads, a bucket estimate).
    deps.log.warn("scaler memory not loaded, keeping this process's own", { ...errorFields(error), kept: scaler.lastRecord !== null });
    return;
  }
  if (text === null || text === scaler.lastRecord) return;
  let recalled;
  try {
    recalled = decodeScalerMemory(text);
  } catch (error) {
    if (!unreadable(error)) throw error;
    deps.log.warn('scaler memory unreadable, starting empty', { error: error.name, reason: error.message });
    forget(scaler);
    return;
  }
  const live = new Set(liveRunIds);
  scaler.pacing.clear();
  for (const { runId, ...stored } of recalled.pacing) {
    if (!live.has(runId)) continue;
    const profile = await profileOf({ runs: deps.runs, profiles: scaler.profiles }, runId);
    scaler.pacing.set(runId, { ...stored, reference: referenceSchedule(profile.plan, profile.sources, stored.capacity) });
  }
  scaler.held = recalled.held;
  scaler.leaveReads.clear();
  for (const [tier, reads] of recalled.leaveReads) scaler.leaveReads.set(tier, reads);
  scaler.launchBudget = recalled.launchBudget;
  scaler.lastRecord = text;
}

/**
 * Saves the scaler's memory at the end of a tick, while the tick still holds its lease (taken with `leaseUntil`): a
 * tick that lost it saves nothing, and a memory that cannot be stored, or a store that fails to save it, is a warning
 * (nothing saved), since the tick's targets are already published. An unchanged memory is not written again.
 */
export async function keepScalerMemory(deps: StoredScalerMemoryDependencies, leaseUntil: number): Promise<void> {
  let text: string;
  try {
    text = encodeScalerMemory(deps.scaler);
  } catch (error) {
    if (!unreadable(error)) throw error;
    deps.log.warn('scaler memory not saved: it cannot be stored', { error: error.name, reason: error.message });
    return;
  }
  if (text === deps.scaler.lastRecord) return;
  let saved: boolean;
  try {
    saved = await deps.targets.saveScalerMemory(text, leaseUntil);
  } catch (error) {
    // The targets are published already; the next tick recalls the last record that was saved.
    deps.log.warn('scaler memory not saved: the store failed', errorFields(error));
    return;
  }
  if (!saved) {
    deps.log.warn('scaler memory not saved: this tick lost its lease to a newer one');
    return;
  }
  deps.scaler.lastRecord = text;
}

/** Empty memory (the plans' shapes, which depend on the plans only, are kept). */
function forget(scaler: ScalerMemory): void {
  scaler.pacing.clear();
  scaler.held = EMPTY_HOLD_MEMORY;
  scaler.leaveReads.clear();
  scaler.launchBudget = null;
  scaler.lastRecord = null;
}

function errorFields(error: unknown): { error: string; reason: string } {
  return error instanceof Error ? { error: error.name, reason: error.message } : { error: 'unknown', reason: String(error) };
}

function unreadable(error: unknown): error is MalformedScalerMemoryError | UnknownScalerMemoryVersionError | ScalerMemoryTooLargeError {
  return (
    error instanceof MalformedScalerMemoryError || error instanceof UnknownScalerMemoryVersionError || error instanceof ScalerMemoryTooLargeError
  );
}
