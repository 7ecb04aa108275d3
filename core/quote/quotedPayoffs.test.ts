import { describe, expect, it } from 'vitest';
import { devnetParameters } from '../../l1/deploy/devnetParameters.js';
import { DEFAULT_COST_MODEL } from '../cost/costModel.js';
import { blockPayoffs } from '../protocol/incentives.js';
import { quotedPayoffs } from './quotedPayoffs.js';

const DEVNET = devnetParameters(0);

describe('quotedPayoffs', () => {
  it('pays the committed prover the fee our quote service would ask, at its estimated cost', () => {
    const payoffs = quotedPayoffs(DEVNET, 64, DEFAULT_COST_MODEL);
    expect(payoffs.txCount).toBe(64);
    expect(payoffs.costWei).toBeGreaterThan(0n);
    expect(payoffs.committedProver).not.toBeNull();
    // The quoted fee covers the cost with a margin: the honest committed prover earns more than it spends.
    expect(payoffs.committedProver!.honest).toBeGreaterThan(0n);
    expect(payoffs).toEqual(blockPayoffs(DEVNET, 64, { feeBps: payoffs.committedProver!.feeBps, costWei: payoffs.costWei }));
  });

  it('has nobody commit when the fee our service would ask does not fit the prover’s share', () => {
    // Compute a million times dearer: no fee within the share covers it.
    const dear = { ...DEFAULT_COST_MODEL, usdPerEth: DEFAULT_COST_MODEL.usdPerEth / 1_000_000 };
    const payoffs = quotedPayoffs(DEVNET, 64, dear);
    expect(payoffs.committedProver).toBeNull();
    expect(payoffs).toEqual(blockPayoffs(DEVNET, 64, { feeBps: null, costWei: 0n }));
  });
});
