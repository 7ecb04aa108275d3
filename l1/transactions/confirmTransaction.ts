import type { Client, Hash, TransactionReceipt } from 'viem';
import { waitForTransactionReceipt } from 'viem/actions';
import { TransactionRevertedError } from '../errors/l1Errors.js';

/** Waits for a sent transaction to be mined and fails loudly, naming the action, if it reverted. */
export async function confirmTransaction(client: Client, action: string, sent: Hash | Promise<Hash>): Promise<TransactionReceipt> {
  const hash = await sent;
  const receipt = await waitForTransactionReceipt(client, { hash, pollingInterval: 100 });
  if (receipt.status !== 'success') throw new TransactionRevertedError(action, hash);
  return receipt;
}
