/**
 * The signal batch-images/host/spot-notice.sh sends the agent containers on Spot's interruption notice (`docker kill
 * --signal USR2`; tini forwards it to node). Not SIGTERM: SIGTERM also comes from TerminateJob and the instance's
 * shutdown, which leave no time to finish a proof, so the agent must tell the notice apart.
 */
export const SPOT_NOTICE_SIGNAL = 'SIGUSR2';
