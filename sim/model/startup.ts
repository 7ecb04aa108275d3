import { meanOf, type Distribution } from './distribution.js';
import type { SimModel } from './model.js';

/**
 * The parts of a fresh agent's start-up on a new instance, in the order the simulated fleet goes through them
 * (`sim/world/fleet.ts`): Batch schedules the child, then `place` takes a RunInstances token (waiting when the bucket
 * is empty), then EC2's pending → running, then — billed from running — boot, image pull and the container start
 * (which the fleet charges every agent, on a new instance as on one already up).
 * Each part's source is cited in `sim/model/model.ts`. The one place these are added up.
 */
export interface StartupParts {
  /** Batch scheduling: before the instance's RunInstances token, so it overlaps a wait for one. */
  readonly scheduling: Distribution;
  /** EC2 pending → running: after the token, before the instance is billed. */
  readonly pending: Distribution;
  readonly boot: Distribution;
  readonly imagePull: Distribution;
  readonly containerStart: Distribution;
}

export function startupParts(model: SimModel): StartupParts {
  return {
    scheduling: model.batch.schedulingSeconds,
    pending: model.ec2.launchSeconds,
    boot: model.ec2.bootSeconds,
    imagePull: model.ec2.imagePullSeconds,
    containerStart: model.batch.containerStartSeconds,
  };
}

/** The mean start-up, split where the simulated fleet splits it (80.3 s on the default model: 9.1 s + 71.2 s). */
export interface MeanStartup {
  /** From SubmitJob to the RunInstances token: Batch scheduling (9.1 s). */
  readonly beforeTokenSeconds: number;
  /** From the token to the agent's first poll: pending, boot, image pull, container start (71.2 s). */
  readonly afterTokenSeconds: number;
  /** The part an instance is billed for: boot, image pull, container start (50.2 s). */
  readonly billedSeconds: number;
  readonly totalSeconds: number;
}

export function meanStartup(model: SimModel): MeanStartup {
  const parts = startupParts(model);
  const billedSeconds = meanOf(parts.boot) + meanOf(parts.imagePull) + meanOf(parts.containerStart);
  const afterTokenSeconds = meanOf(parts.pending) + billedSeconds;
  const beforeTokenSeconds = meanOf(parts.scheduling);
  return { beforeTokenSeconds, afterTokenSeconds, billedSeconds, totalSeconds: beforeTokenSeconds + afterTokenSeconds };
}
