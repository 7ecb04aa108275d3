import type { ProvingRun } from '../../core/ports/provingRun.js';

/** A run record with plausible values; override what the test cares about. */
export function sampleRun(overrides: Partial<ProvingRun> = {}): ProvingRun {
  return {
    runId: 'b7-0123456789abcdef',
    blockNumber: 7n,
    slot: 12n,
    bodyHash: `0x${'ab'.repeat(32)}`,
    revealedIn: `0x${'ef'.repeat(32)}`,
    bodyDigest: `sha256:${'cd'.repeat(32)}`,
    profile: 'rfp-2023',
    txCount: 4,
    jobCount: 19,
    criticalPathSeconds: 210,
    parentBlock: 6n,
    parentStateRoot: `0x${'01'.repeat(32)}`,
    newStateRoot: `0x${'02'.repeat(32)}`,
    proverId: '0x00000000000000000000000000000000000000aa',
    reason: 'committed',
    exclusiveUntil: 1_700_000_100,
    provingDeadline: 1_700_000_200,
    state: 'planned',
    stateReason: '',
    rootDigest: '',
    l1TxHash: '',
    createdAt: 1_700_000_000_000,
    provingStartedAt: 0,
    rootProvenAt: 0,
    updatedAt: 1_700_000_000_000,
    ...overrides,
  };
}
