import type { Address, LocalAccount } from 'viem';
import { toAccount } from 'viem/accounts';
import { ReadOnlyAccountError } from './errors/runtimeErrors.js';

/**
 * An account that names an address but cannot sign: for processes that only read L1 (the planner), so they need no
 * KMS permission and hold no key.
 */
export function readOnlyAccount(address: Address): LocalAccount {
  const refuse = async (): Promise<never> => {
    throw new ReadOnlyAccountError(address);
  };
  return toAccount({ address, signMessage: refuse, signTransaction: refuse, signTypedData: refuse });
}
