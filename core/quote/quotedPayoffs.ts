import type { CostModel } from '../cost/costModel.js';
import { blockPayoffs, type BlockPayoffs } from '../protocol/incentives.js';
import { slotSchedule } from '../protocol/slotSchedule.js';
import type { ProtocolParameters } from '../protocol/types.js';
import { priceQuote } from './priceQuote.js';

/**
 * The payoffs of a block of `txCount` txs (one public call each, as the policy assumes before seeing a body) when its
 * committed prover quoted what our quote service would: cost plus margin under `costModel`. Proving time is left out
 * (it decides whether to quote, not what the paths pay). No commitment when the fee would not fit the prover's share.
 */
export function quotedPayoffs(parameters: ProtocolParameters, txCount: number, costModel: CostModel, profile = 'rfp-2023'): BlockPayoffs {
  const decision = priceQuote(
    { blockNumber: 1n, slot: 1n, bodyHash: `0x${'00'.repeat(32)}`, txCount, publicCalls: txCount, provingDeadline: Number.MAX_SAFE_INTEGER },
    parameters,
    { proverId: `0x${'00'.repeat(20)}`, profile, costModel, bond: 0n, secondsPerExpectedSecond: 0, provisioningSeconds: 0, maxTxs: txCount },
    slotSchedule(parameters, 1n).commitStart,
  );
  if (decision.quote) return blockPayoffs(parameters, txCount, { feeBps: decision.terms.feeBps, costWei: decision.costWei });
  return blockPayoffs(parameters, txCount, { feeBps: null, costWei: 0n });
}
