import type { LocalChain, LocalChainMode } from './localChainTypes.js';
import { startHardhatNode, type StartHardhatNodeOptions } from './startHardhatNode.js';
import { startInProcessChain } from './startInProcessChain.js';

export type StartLocalChainOptions =
  | { readonly mode: 'in-process' }
  | ({ readonly mode: 'node' } & StartHardhatNodeOptions);

/** Starts a local L1: in this process for tests, or as a `hardhat node` child process for the devnet. */
export function startLocalChain(options: StartLocalChainOptions): Promise<LocalChain> {
  return options.mode === 'in-process' ? startInProcessChain() : startHardhatNode(options);
}

export type { LocalChain, LocalChainMode };
