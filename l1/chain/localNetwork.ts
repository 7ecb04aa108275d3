import { defineChain, type Chain } from 'viem';
import { LOCAL_ACCOUNT_BALANCE, LOCAL_ACCOUNT_KEYS } from './localAccounts.js';

export const LOCAL_CHAIN_ID = 31337;

/**
 * Hardhat network settings shared by the in-process chain and `hardhat node`. The hardfork matches the contracts'
 * evmVersion; the gas limit leaves room for a 61,440-tx reveal (about 2 MB of calldata, 41.9 M gas). Automined blocks
 * may share a second: otherwise every transaction would push L1 time a second ahead of the wall clock, and a busy
 * slot would run its phases faster than real time.
 */
export const LOCAL_NETWORK = {
  chainId: LOCAL_CHAIN_ID,
  hardfork: 'cancun',
  blockGasLimit: 60_000_000,
  allowBlocksWithSameTimestamp: true,
  genesisAccounts: LOCAL_ACCOUNT_KEYS.map((privateKey) => ({ privateKey, balance: LOCAL_ACCOUNT_BALANCE.toString() })),
} as const;

/** The viem chain object of a local chain, pointing at `rpcUrl` when it has one. */
export function localChain(rpcUrl = 'http://127.0.0.1:8545'): Chain {
  return defineChain({
    id: LOCAL_CHAIN_ID,
    name: 'prover-burst local L1',
    nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
    rpcUrls: { default: { http: [rpcUrl] } },
  });
}
