import type { ProtocolParameters } from './types.js';

/**
 * The smallest bond a commitment to a block of `txCount` txs may carry (Rollup: BondBelowMinimum). It grows with the
 * block's reward so that missing the window always costs more than the open race can pay back.
 */
export function requiredProverBond(parameters: ProtocolParameters, txCount: number): bigint {
  return parameters.minProverBond + parameters.proverBondPerTx * BigInt(txCount);
}
