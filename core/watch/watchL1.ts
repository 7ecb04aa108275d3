import { parseWithBigints, stringifyWithBigints } from '../json/bigintJson.js';
import { decideToProve, type ProvePolicy } from '../policy/decideToProve.js';
import type { BlockRunDriver } from '../ports/blockRunDriver.js';
import type { Clock } from '../ports/clock.js';
import type { JobStore } from '../ports/jobStore.js';
import type { FollowCursor, L1Follower, RollupChain } from '../ports/l1.js';
import type { Logger } from '../ports/logger.js';
import type { FleetTargets } from '../ports/fleetTargets.js';
import { committedDemand, standingAgents, type BlockDemand } from '../quote/fleetCapacity.js';
import { runIdFor } from '../run/runIdFor.js';
import { applyEvent, retractEvent, type BlockBook } from './blockBook.js';

export interface WatchDependencies {
  readonly store: JobStore;
  /** The scaler's published targets: the work the fleet is committed to, for the policy's capacity check. */
  readonly targets?: Pick<FleetTargets, 'get'>;
  readonly follower: L1Follower;
  readonly chain: RollupChain;
  readonly driver: BlockRunDriver;
  readonly clock: Clock;
  readonly log: Logger;
}

export interface WatchSettings {
  /** Where the follower's cursor and the block book are kept (one firm, one name). */
  readonly cursorName: string;
  readonly policy: ProvePolicy;
  /** Finished blocks (proven or pruned) kept in the book, newest first. */
  readonly keepFinished: number;
}

export interface WatchTick {
  readonly events: number;
  readonly retracted: number;
  readonly started: readonly string[];
  readonly stopped: readonly { readonly runId: string; readonly reason: string }[];
  /** False when another tick wrote the cursor first; nothing is lost, the next tick resumes from its cursor. */
  readonly saved: boolean;
}

interface WatchState {
  readonly cursor: FollowCursor | null;
  readonly book: BlockBook;
}


/**
 * One watcher tick: follow L1 from the stored cursor, undo events of orphaned blocks, fold in the new ones, stop
 * runs whose block was pruned, reorged away or proven by another firm, and start runs for the blocks the policy
 * picks. Starting is idempotent, so a duplicate tick starts nothing twice; the cursor is written last, by
 * compare-and-set.
 */
export async function watchL1(deps: WatchDependencies, settings: WatchSettings): Promise<WatchTick> {
  const stored = await deps.store.getCursor<string>(settings.cursorName);
  const state: WatchState = stored ? parseWithBigints<WatchState>(stored.value) : { cursor: null, book: {} };
  const step = await deps.follower.follow(state.cursor);
  let book = state.book;
  for (const event of step.retracted) book = retractEvent(book, event);
  for (const event of step.events) book = applyEvent(book, event);

  const started: string[] = [];
  const stopped: { runId: string; reason: string }[] = [];
  const needsDecision = Object.values(book).some((block) => block.status === 'revealed' && block.startedFor !== block.revealedIn);
  const [parameters, now] = needsDecision
    ? await Promise.all([deps.chain.parameters(), deps.chain.latestTimestamp()])
    : [null, 0];
  // What the fleet is committed to and has up, read once; each block started below joins it.
  const published = needsDecision && settings.policy.fleet && deps.targets ? { heavy: await deps.targets.get('heavy'), light: await deps.targets.get('light') } : null;
  const committed: BlockDemand[] = published ? committedDemand(published, now) : [];
  const fleetNow = { committed, ...(published ? { standing: standingAgents(published) } : {}) };

  for (const [key, block] of Object.entries(book)) {
    const ours = block.provenBy.toLowerCase() === settings.policy.proverId.toLowerCase();
    const stopReason =
      block.stopReason ||
      (block.status === 'pruned' ? 'the block was pruned' : '') ||
      (block.status === 'proven' && !ours ? `proven first by ${block.provenBy}` : '');
    if (block.runId && stopReason && block.startedFor !== '') {
      await deps.driver.fail(block.runId, stopReason);
      stopped.push({ runId: block.runId, reason: stopReason });
      book = { ...book, [key]: { ...block, startedFor: '', stopReason } };
      continue;
    }
    if (block.status !== 'revealed' || block.startedFor === block.revealedIn || !parameters) continue;
    const decision = decideToProve(block, parameters, settings.policy, now, fleetNow);
    if (!decision.prove) continue;
    const fleet = settings.policy.fleet;
    if (fleet) {
      const { txCount } = block;
      committed.push({ key: `block ${block.blockNumber}`, startsAt: now, deadline: block.provingDeadline, workSeconds: fleet.workSeconds(txCount), shape: fleet.shape(txCount) });
    }
    const runId = runIdFor(block.blockNumber, block.bodyHash);
    const fresh = await deps.driver.start({
      runId,
      blockNumber: block.blockNumber,
      slot: block.slot,
      bodyHash: block.bodyHash,
      revealedIn: block.revealedIn,
      txCount: block.txCount,
      parentBlock: block.parentBlock,
      revealedAt: block.revealedAt,
      provingDeadline: block.provingDeadline,
      exclusiveUntil: block.exclusiveUntil,
      committedProver: block.committedProver,
      reason: decision.reason,
    });
    if (fresh) started.push(runId);
    deps.log.info(fresh ? 'started block run' : 'block run already started', { runId, blockNumber: block.blockNumber, reason: decision.reason });
    book = { ...book, [key]: { ...block, runId, startedFor: block.revealedIn } };
  }

  const saved = await deps.store.putCursor(
    settings.cursorName,
    stringifyWithBigints({ cursor: step.cursor, book: trim(book, settings.keepFinished) }),
    stored?.version ?? null,
  );
  if (!saved) deps.log.warn('another watcher tick saved first; this tick will be repeated from the stored cursor');
  return { events: step.events.length, retracted: step.retracted.length, started, stopped, saved };
}

/** Keeps every block still in play and the newest `keep` finished ones. */
function trim(book: BlockBook, keep: number): BlockBook {
  const finished = Object.values(book)
    .filter((block) => block.status !== 'revealed')
    .sort((a, b) => (a.blockNumber > b.blockNumber ? -1 : 1))
    .slice(keep);
  const drop = new Set(finished.map((block) => block.blockNumber.toString()));
  return Object.fromEntries(Object.entries(book).filter(([key]) => !drop.has(key)));
}
