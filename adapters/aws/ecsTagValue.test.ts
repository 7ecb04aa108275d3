import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sizeTier } from '../../core/scale/sizeTier.js';
import { ECS_TAG_PATTERN, ECS_TAG_VALUE_MAX_LENGTH, ecsTagValue } from './ecsTagValue.js';

describe('ecsTagValue', () => {
  it('turns the scaler\'s reasons, which carry brackets and commas, into values ECS accepts', () => {
    const { why } = sizeTier(
      { queued: 9, inFlight: 3, planned: 4, plannedSoon: 4, paced: 0, pacedOnly: false, expectedQueued: 0, remainingWorkSeconds: 600, slackSeconds: 900, workWindowSeconds: 600 },
      { running: 3, starting: 0 },
      { minAgents: 0, maxAgents: 100, urgentSlackSeconds: 120 },
    );
    expect(why).toMatch(/[(),]/);
    expect(ECS_TAG_PATTERN.test(why)).toBe(false);
    expect(ecsTagValue(why)).toBe('planned 4 paced 0 backlog 12 queued 9 in flight 3');
    expect(ECS_TAG_PATTERN.test(ecsTagValue(why))).toBe(true);
  });

  it('keeps what ECS allows: letters and digits of any script, spaces and _ . : / = + - @', () => {
    expect(ecsTagValue('deadline at risk: slack=12 s / tier+heavy @ block_7-α')).toBe('deadline at risk: slack=12 s / tier+heavy @ block_7-α');
  });

  it('any text becomes a value of at most 256 characters that matches the ECS pattern', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 600 }), (text) => {
        const value = ecsTagValue(text);
        expect(ECS_TAG_PATTERN.test(value)).toBe(true);
        expect([...value].length).toBeLessThanOrEqual(ECS_TAG_VALUE_MAX_LENGTH);
      }),
    );
  });
});
