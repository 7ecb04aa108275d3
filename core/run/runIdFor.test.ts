import { describe, expect, it } from 'vitest';
import { runIdFor } from './runIdFor.js';

describe('runIdFor', () => {
  it('names a run by its block number and the first 8 bytes of its body hash', () => {
    expect(runIdFor(42n, `0x0123456789abcdef${'ff'.repeat(24)}`)).toBe('b42-0123456789abcdef');
  });

  it('gives the same body the same id after a reorg, and another body another id', () => {
    const body = `0x${'ab'.repeat(32)}` as const;
    expect(runIdFor(7n, body)).toBe(runIdFor(7n, body));
    expect(runIdFor(7n, `0x${'cd'.repeat(32)}`)).not.toBe(runIdFor(7n, body));
    expect(runIdFor(8n, body)).not.toBe(runIdFor(7n, body));
  });
});
