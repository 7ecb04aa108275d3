/** The figures the job graph's rules read; `AgentSettings` carries them (and the simulator's agent model). */
export interface JobRuleSettings {
  /** A lease lasts this long (the queue message's visibility) unless the heartbeat extends it. */
  readonly visibilityMs: number;
  /** Prover failures before a job is failed for good (and its run with it). */
  readonly maxFailures: number;
  /** Back-off before a job that failed for good is looked at again (its message dead-letters meanwhile). */
  readonly retryDelayMs: number;
  /** A parent claimed for enqueueing but left unleased this long is taken over (its claimant died). */
  readonly staleClaimMs: number;
  /**
   * Wall seconds one expected second of proving takes (1 with real provers; the SIMULATED prover's time scale): the
   * jobs an agent enqueues carry latest starts on this scale (`latestStartOf`), as the scaler reckons them.
   */
  readonly secondsPerExpectedSecond: number;
}
