import { proverEscrowAbi } from '../../contracts/artifacts/proverEscrow.js';
import { rollupAbi } from '../../contracts/artifacts/rollup.js';

type EscrowError = Extract<(typeof proverEscrowAbi)[number], { type: 'error' }>;

/**
 * The rollup's ABI plus the escrow's errors: the rollup calls the escrow, and a revert from there (a bond the
 * prover's escrow cannot cover) bubbles up; with its error in the ABI viem names it instead of showing raw bytes.
 */
export const rollupCallAbi = [
  ...rollupAbi,
  ...proverEscrowAbi.filter((item): item is EscrowError => item.type === 'error'),
] as const;
