import { parseEther } from 'viem';
import { describe, expect, it } from 'vitest';
import { devnetParameters } from '../../l1/deploy/devnetParameters.js';
import { TEST_PARAMETERS } from '../../l1/testing/protocolFixture.js';
import { DEFAULT_COST_MODEL } from '../cost/costModel.js';
import { quotedPayoffs } from '../quote/quotedPayoffs.js';
import { blockPayoffs, worstDeviationAdvantages } from './incentives.js';

const DEVNET = devnetParameters(0);
const SAMPLE_SIZES = [1, 2, 16, 64, 1_024, 8_192, 21_250, 32_768, 61_440];

describe('the incentives of the protocol', () => {
  it('no deviation beats honesty under the devnet defaults, at any block size from 1 to maxTxsPerBlock', () => {
    const advantages = worstDeviationAdvantages(DEVNET);
    expect(advantages.map((a) => `${a.actor}.${a.deviation}`).sort()).toEqual([
      'committedProver.delayParent',
      'committedProver.proveLate',
      'committedProver.withhold',
      'sequencer.revealMalformed',
      'sequencer.withhold',
    ]);
    for (const advantage of advantages) expect(advantage.maxAdvantageWei, `${advantage.actor}.${advantage.deviation}`).toBeLessThan(0n);
  });

  it('no deviation beats honesty for a block priced by our quote service, at sampled sizes', () => {
    for (const txCount of SAMPLE_SIZES) {
      const { committedProver, sequencer, openRaceProver } = quotedPayoffs(DEVNET, txCount, DEFAULT_COST_MODEL);
      expect(committedProver, `${txCount} txs`).not.toBeNull();
      const { honest, proveLate, withhold, delayParent } = committedProver!;
      expect(honest, `${txCount} txs`).toBeGreaterThan(proveLate);
      expect(honest).toBeGreaterThan(withhold);
      expect(honest).toBeGreaterThan(delayParent);
      expect(sequencer.honest).toBeGreaterThan(sequencer.revealMalformed);
      expect(sequencer.honest).toBeGreaterThan(sequencer.withhold);
      // The recovery path pays: a racer that proves an abandoned block earns more than it spends.
      expect(openRaceProver.honest).toBeGreaterThan(0n);
    }
  });

  it('M4: proving late never pays more than proving in the window, over the whole block-size range, under the test parameters too', () => {
    const parameters = { ...TEST_PARAMETERS, genesisTime: 0 };
    const late = worstDeviationAdvantages(parameters).find((a) => a.deviation === 'proveLate')!;
    expect(late.maxAdvantageWei).toBeLessThanOrEqual(0n);
  });

  it('finds the block sizes where a flat bond lets proving late pay more (the check can fail)', () => {
    // v1's devnet bond: 0.5 ETH whatever the block, against an open-race share that grows with every tx.
    const flat = { ...DEVNET, proverBondPerTx: 0n, minProverBond: parseEther('0.5') };
    const late = worstDeviationAdvantages(flat).find((a) => a.deviation === 'proveLate')!;
    expect(late.maxAdvantageWei).toBeGreaterThan(0n);
    expect(late.atTxCount).toBe(flat.maxTxsPerBlock);
    const firstBroken = SAMPLE_SIZES.find((txCount) => {
      const payoffs = blockPayoffs(flat, txCount, { feeBps: 0, costWei: 0n }).committedProver!;
      return payoffs.proveLate > payoffs.honest;
    });
    expect(firstBroken).toBe(61_440);
  });
});
