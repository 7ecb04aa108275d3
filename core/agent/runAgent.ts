import type { AgentSettings } from './agentSettings.js';
import { handleDelivery, type AgentDependencies, type DeliveryResult } from './handleDelivery.js';
import { idleExitDue } from './idleExit.js';
import { watchInterruptionNotice, type InterruptionNotice } from './interruptionNotice.js';
import { leaveDecision, type LeaveSpell } from './leaveCheck.js';
import type { PublishedTarget } from '../ports/fleetTargets.js';
import { PRESENCE_REFRESH_MS, type InstanceOccupancy } from '../ports/instancePresence.js';

/** The counts of an agent that has handled no delivery yet. */
export function noDeliveries(): Record<DeliveryResult, number> {
  return { proving: 0, proved: 0, failed: 0, returned: 0, skipped: 0 };
}

export interface AgentSummary {
  readonly agentId: string;
  readonly counts: Readonly<Record<DeliveryResult, number>>;
  /** Why it ended: nothing to do for `idleExitMs`, told to stop (SIGTERM, Spot's notice), or it left a tier above its target. */
  readonly exit: 'idle' | 'stopped' | 'left';
}

/**
 * The agent loop, the same on a laptop and in a Batch container: long-poll the tier's queue, handle one job at a
 * time; between jobs, leave if the tier runs above its target (no Batch call scales it down), the agents of the
 * emptiest instances first (`leaveDecision`); exit after `idleExitMs` without work unless a fresh target still wants
 * the tier's agents, or when `stop` aborts (SIGTERM: the job in hand goes back at once). `notice` is Spot's
 * interruption notice: the agent takes no more jobs and finishes the one in hand if it fits before the interruption
 * (`interruptionVerdict`), else hands it back. While it handles a job it keeps its instance presence fresh; on its way
 * out it withdraws from it.
 */
export async function runAgent(
  deps: AgentDependencies,
  settings: AgentSettings,
  stop: AbortSignal,
  notice?: AbortSignal,
): Promise<AgentSummary> {
  const interruption = notice ? watchInterruptionNotice(notice, deps.clock) : undefined;
  try {
    return await agentLoop(deps, settings, stop, interruption);
  } finally {
    interruption?.dispose();
    // Off its instance, so the agents still there count one fewer (a killed agent's announcement goes stale instead).
    await deps.presence?.withdraw(deps.agentId).catch((error: unknown) => {
      deps.log.warn('could not withdraw from the instance presence', { agentId: deps.agentId, error: String(error) });
    });
  }
}

async function agentLoop(
  deps: AgentDependencies,
  settings: AgentSettings,
  stop: AbortSignal,
  notice: InterruptionNotice | undefined,
): Promise<AgentSummary> {
  // Either ends a long poll or a back-off: after the notice the agent takes no new job.
  const ending = notice ? AbortSignal.any([stop, notice.signal]) : stop;
  const counts = noDeliveries();
  let idleSince = deps.clock.now();
  let consecutiveErrors = 0;
  let checkedAt = -Infinity;
  let target: PublishedTarget | null = null;
  let spell: LeaveSpell | null = null;
  const presenceFaults = { warned: false };
  // Between jobs (before each receive), at most every leaveCheckMs: announce the agent on its instance (which keeps
  // its presence fresh), read the target, and claim a leave when the rule says so.
  const leaving = async () => {
    const now = deps.clock.now();
    if (now - checkedAt < settings.leaveCheckMs) return false;
    checkedAt = now;
    const occupancy = await announce(deps, now, presenceFaults);
    try {
      target = await deps.targets.get(deps.tier);
      const decision = leaveDecision({ target, occupancy, spell, nowMs: now }, settings);
      spell = decision.spell;
      return decision.claim && (await deps.targets.claimLeave(deps.tier));
    } catch (error) {
      // Without a target the agent keeps proving: its idle exit (or the scaler, for a straggler) ends it.
      target = null;
      deps.log.warn('could not read the fleet target; staying', { tier: deps.tier, error: String(error) });
      return false;
    }
  };
  while (!ending.aborted) {
    if (await leaving()) {
      deps.log.info('leaving: the tier runs above its target', { tier: deps.tier, agentId: deps.agentId });
      return { agentId: deps.agentId, counts, exit: 'left' };
    }
    let deliveries;
    try {
      deliveries = await deps.queue.receive(deps.tier, {
        max: 1,
        waitMs: settings.waitMs,
        visibilityMs: settings.visibilityMs,
        signal: ending,
      });
    } catch (error) {
      if (ending.aborted) break;
      consecutiveErrors++;
      deps.log.error('receive failed', { error: String(error), consecutiveErrors });
      await pause(deps, Math.min(30_000, 500 * 2 ** consecutiveErrors), ending);
      continue;
    }
    if (deliveries.length === 0) {
      if (idleExitDue(idleSince, deps.clock.now(), settings, target)) return { agentId: deps.agentId, counts, exit: 'idle' };
      continue;
    }
    for (const delivery of deliveries) {
      if (ending.aborted) {
        await deps.queue.release(deps.tier, delivery.receipt, 0);
        continue;
      }
      // Its announcement is refreshed while it handles the job, so a proof longer than the staleness does not make it
      // look gone to its neighbours' leave checks; the refresh ends with the job, whichever way it ends.
      const handling = new AbortController();
      const present = keepPresent(deps, presenceFaults, handling.signal);
      try {
        counts[await handleDelivery(deps, settings, delivery, stop, notice)]++;
        consecutiveErrors = 0;
      } catch (error) {
        // The store, queue or artifact store failed mid-job: make the message visible again later, lose nothing.
        consecutiveErrors++;
        deps.log.error('job handling failed; the job goes back to the queue', {
          ...delivery.message,
          error: error instanceof Error ? error.stack : String(error),
        });
        await deps.queue.release(deps.tier, delivery.receipt, settings.retryDelayMs).catch(() => undefined);
        await pause(deps, Math.min(30_000, 500 * 2 ** consecutiveErrors), ending);
      } finally {
        handling.abort(JOB_HANDLED);
        await present;
      }
    }
    idleSince = deps.clock.now();
  }
  return { agentId: deps.agentId, counts, exit: 'stopped' };
}

/**
 * The agent's instance as it announces itself now; null without a presence, or when it fails (it then leaves as
 * before). A broken presence (a directory gone or read-only) fails at every check: it is a warning the first time for
 * this agent, then debug, so it does not flood the log.
 */
async function announce(deps: AgentDependencies, now: number, faults: { warned: boolean }): Promise<InstanceOccupancy | null> {
  if (!deps.presence) return null;
  try {
    return await deps.presence.announce(deps.agentId, now);
  } catch (error) {
    const fields = { agentId: deps.agentId, error: String(error) };
    if (faults.warned) {
      deps.log.debug('could not announce on the instance presence; leaving without packing', fields);
    } else {
      faults.warned = true;
      deps.log.warn('could not announce on the instance presence; leaving without packing (said once, then at debug)', fields);
    }
    return null;
  }
}

/** Ends a job's presence refresh; a reason given up front spares a DOMException per job. */
const JOB_HANDLED = new Error('job handled');

/** Announces the agent on its instance every `PRESENCE_REFRESH_MS` until `signal` aborts (nothing without a presence). */
async function keepPresent(deps: AgentDependencies, faults: { warned: boolean }, signal: AbortSignal): Promise<void> {
  if (!deps.presence) return;
  for (;;) {
    try {
      await deps.clock.sleep(PRESENCE_REFRESH_MS, signal);
    } catch {
      return;
    }
    await announce(deps, deps.clock.now(), faults);
  }
}

async function pause(deps: AgentDependencies, ms: number, stop: AbortSignal): Promise<void> {
  await deps.clock.sleep(ms, stop).catch(() => undefined);
}
