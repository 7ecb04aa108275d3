import type { Address, LocalAccount } from 'viem';
import { toAccount } from 'viem/accounts';
import { ProverBurstError } from '../../core/errors/base.js';

/** Something tried to sign with an account that was built only to read. */
export class ReadOnlyAccountError extends ProverBurstError {
  override name = 'ReadOnlyAccountError';
  constructor(readonly address: Address) {
    super(`account ${address} is read-only here: this process holds no signing key`, { address });
  }
}

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
