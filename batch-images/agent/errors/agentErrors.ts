/** SIGTERM (Spot's two-minute notice, forwarded by batch-images/host/spot-notice.sh; TerminateJob; scale-down) or Ctrl-C: hand the current job back. */
export class AgentStopRequested extends Error {
  override name = 'AgentStopRequested';
}
