import type { Chain, Hex, Transport } from 'viem';

export type LocalChainMode = 'in-process' | 'node';

/** A running local L1. */
export interface LocalChain {
  readonly mode: LocalChainMode;
  /** The JSON-RPC URL (`node` mode only). */
  readonly rpcUrl?: string;
  /** The `hardhat node` process id, leader of its own process group (`node` mode only). */
  readonly pid?: number;
  readonly transport: Transport;
  readonly chain: Chain;
  /** Private keys of the funded development accounts. */
  readonly accounts: readonly Hex[];
  /** Stops the chain; for `node` mode, once this resolves the process is gone. */
  stop(): Promise<void>;
}
