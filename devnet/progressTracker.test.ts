import { describe, expect, it } from 'vitest';
import type { AgentEvent } from '../core/agent/handleDelivery.js';
import { renderFrame } from './liveView.js';
import { createProgressTracker } from './progressTracker.js';

function proved(jobId: string, kind: string, ms: number, bytes: number, first = true): AgentEvent {
  return { type: 'proved', runId: jobId.split('/')[0]!, jobId, kind, tier: kind === 'tx' ? 'light' : 'heavy', agentId: 'a', ms, bytes, first, digest: 'sha256:x' };
}

describe('proofs by kind in the devnet view', () => {
  it('counts first proofs per kind across runs: agent time and proof size, duplicates left out', () => {
    const progress = createProgressTracker();
    progress.record(proved('b1/tx/0', 'tx', 8_000, 13_284), 0);
    progress.record(proved('b1/tx/1', 'tx', 10_000, 13_284), 1);
    progress.record(proved('b2/tx/0', 'tx', 6_000, 13_284), 2);
    progress.record(proved('b1/tx/1', 'tx', 90_000, 13_284, false), 3);
    progress.record(proved('b1/root', 'root', 138_000, 9_536), 4);
    progress.record({ type: 'failed', runId: 'b1', jobId: 'b1/root', error: 'x', exhausted: false }, 5);

    expect(progress.byKind()).toEqual({
      tx: { count: 3, totalMs: 24_000, maxMs: 10_000, bytes: 13_284 },
      root: { count: 1, totalMs: 138_000, maxMs: 138_000, bytes: 9_536 },
    });
    expect(progress.of('b1').total).toBe(3);
  });

  it('shows each kind’s count, mean agent time and proof size under the blocks', () => {
    const progress = createProgressTracker();
    progress.record(proved('b1/tx/0', 'tx', 8_000, 13_284), 0);
    progress.record(proved('b1/tx/1', 'tx', 10_000, 13_284), 1);
    const frame = renderFrame({ header: ['h'], firms: [], runs: [], timeScale: 1, now: 0, kinds: progress.byKind(), footer: 'f' }, 200);
    expect(frame).toContain('proofs by kind: tx 2 × 9.0 s avg, 13,284 B');
    expect(renderFrame({ header: ['h'], firms: [], runs: [], timeScale: 1, now: 0, footer: 'f' }, 200).join('\n')).not.toContain('proofs by kind');
  });
});
