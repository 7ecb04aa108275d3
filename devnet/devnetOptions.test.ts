import { describe, expect, it } from 'vitest';
import { DEFAULT_DEVNET_OPTIONS, devnetOptionsSchema } from './devnetOptions.js';

describe('devnet options', () => {
  it('accepts the defaults', () => {
    expect(devnetOptionsSchema.safeParse(DEFAULT_DEVNET_OPTIONS).success).toBe(true);
  });

  it('refuses a time scale of 0 or below (the scaler sizes by expected seconds ÷ the scale)', () => {
    for (const timeScale of [0, -0.5, Number.NaN]) {
      const parsed = devnetOptionsSchema.safeParse({ ...DEFAULT_DEVNET_OPTIONS, timeScale });
      expect(parsed.success).toBe(false);
      expect(parsed.error?.issues[0]?.path).toEqual(['timeScale']);
    }
  });
});
