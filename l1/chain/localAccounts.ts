import { keccak256, parseEther, toHex, type Hex } from 'viem';

/**
 * Private keys of the local chain's funded accounts, derived from a public phrase: development keys, known to
 * everyone, never to be used on a network with value.
 */
export const LOCAL_ACCOUNT_KEYS: readonly Hex[] = Array.from({ length: 20 }, (_, index) =>
  keccak256(toHex(`prover-burst local development account ${index}`)),
);

/** Each local account starts with this much ether. */
export const LOCAL_ACCOUNT_BALANCE = parseEther('1000000');
