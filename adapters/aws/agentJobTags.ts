/** The tags every agent job carries, and the only ones the scaler may set (infra grants TagResource on these keys). */
export const AGENT_TAG_KEYS = { tier: 'prover-burst:tier', reason: 'prover-burst:reason' } as const;
