/** The two machine classes proofs run on. */
export type Tier = 'heavy' | 'light';

export const TIERS: readonly Tier[] = ['heavy', 'light'];

/** What an agent of each tier is sized for (AWS Batch instances). */
export interface TierShape {
  readonly vcpus: number;
  readonly memoryGiB: number;
}

export const TIER_SHAPES: Readonly<Record<Tier, TierShape>> = {
  heavy: { vcpus: 32, memoryGiB: 64 },
  light: { vcpus: 8, memoryGiB: 16 },
};
