import type { BlockRunDriver, BlockRunRequest } from '../../core/ports/blockRunDriver.js';
import { ACTIVE_RUN_STATES, type ProvingRun } from '../../core/ports/provingRun.js';
import { abandonRun } from '../../core/run/abandonRun.js';
import { recordRootProven } from '../../core/run/recordRootProven.js';
import { claimRunStart } from '../../core/run/claimRunStart.js';
import type { RunDependencies, RunSettings } from '../../core/run/runDependencies.js';
import { RunInbox } from '../../core/run/runInbox.js';
import { walkBlockRun } from '../../core/run/walkBlockRun.js';

export interface EmbeddedBlockRunDriver extends BlockRunDriver {
  /** Walks every run the store holds as active (after a restart). */
  resumeAll(): Promise<number>;
  /** Runs being walked in this process. */
  readonly walking: ReadonlyMap<string, Promise<ProvingRun | null>>;
  /** Stops walking (runs keep their state in the store) and waits for the walks to return. */
  stop(): Promise<void>;
}

/** Runs each block run as an in-process walk of its states (`walkBlockRun`); the devnet's Step Functions. */
export function createEmbeddedBlockRunDriver(
  deps: RunDependencies,
  settings: RunSettings,
  onFinished?: (run: ProvingRun | null, request: BlockRunRequest) => void,
): EmbeddedBlockRunDriver {
  const inboxes = new Map<string, RunInbox>();
  const walking = new Map<string, Promise<ProvingRun | null>>();
  /** Runs between a start's check and its walk: a concurrent start of the same run must see them. */
  const starting = new Set<string>();
  const stopping = new AbortController();

  const walk = (request: BlockRunRequest) => {
    const inbox = new RunInbox();
    inboxes.set(request.runId, inbox);
    const done = walkBlockRun(deps, settings, request, inbox, stopping.signal)
      .catch((error: unknown) => {
        deps.log.error('block run crashed', { runId: request.runId, error: error instanceof Error ? error.stack : String(error) });
        return null;
      })
      .finally(() => {
        inboxes.delete(request.runId);
        walking.delete(request.runId);
      });
    walking.set(request.runId, done);
    void done.then((run) => onFinished?.(run, request));
  };

  return {
    walking,
    async start(request) {
      if (walking.has(request.runId) || starting.has(request.runId) || stopping.signal.aborted) return false;
      starting.add(request.runId);
      try {
        if (!(await claimRunStart(deps, request, settings.scaling.secondsPerExpectedSecond))) return false;
        walk(request);
        return true;
      } finally {
        starting.delete(request.runId);
      }
    },
    async rootProven(runId, rootDigest) {
      const inbox = inboxes.get(runId);
      if (inbox) inbox.root(rootDigest);
      else await recordRootProven(deps.store, runId, rootDigest, deps.clock.now());
    },
    async fail(runId, reason) {
      const inbox = inboxes.get(runId);
      if (inbox) inbox.fail(reason);
      else await abandonRun(deps, runId, reason);
    },
    async resumeAll() {
      const active = await deps.store.listRuns(ACTIVE_RUN_STATES);
      for (const run of active) if (!walking.has(run.runId)) walk(requestOf(run));
      return active.length;
    },
    async stop() {
      stopping.abort();
      await Promise.all(walking.values());
    },
  };
}

/** The request a stored run was started from. */
function requestOf(run: ProvingRun): BlockRunRequest {
  return {
    runId: run.runId,
    blockNumber: run.blockNumber,
    slot: run.slot,
    bodyHash: run.bodyHash,
    revealedIn: run.revealedIn,
    txCount: run.txCount,
    parentBlock: run.parentBlock,
    revealedAt: 0,
    provingDeadline: run.provingDeadline,
    exclusiveUntil: run.exclusiveUntil,
    committedProver: run.proverId,
    reason: run.reason,
  };
}
