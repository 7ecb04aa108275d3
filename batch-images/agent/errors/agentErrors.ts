/** SIGTERM (TerminateJob, scale-down, the instance shutting down) or Ctrl-C: hand the current job back. */
export class AgentStopRequested extends Error {
  override name = 'AgentStopRequested';
}

/**
 * Spot's two-minute interruption notice, forwarded by batch-images/host/spot-notice.sh as `SPOT_NOTICE_SIGNAL`: take
 * no new job, finish the one in hand if it fits before the interruption (`interruptionVerdict`), else hand it back.
 */
export class SpotInterruptionNotice extends Error {
  override name = 'SpotInterruptionNotice';
}
