import type { Address, TransactionReceipt } from 'viem';
import { proverEscrowAbi } from '../../contracts/artifacts/proverEscrow.js';
import { confirmTransaction } from '../transactions/confirmTransaction.js';
import type { L1WalletClient } from '../transactions/l1Clients.js';

// A prover's writes to its escrow. Each waits for its transaction and throws TransactionRevertedError if it reverted.

function escrowCall(client: L1WalletClient, escrow: Address) {
  return { address: escrow, abi: proverEscrowAbi, account: client.account, chain: client.chain } as const;
}

/** Adds `amount` wei to the caller's escrow balance, from which bonds are locked. */
export function depositToEscrow(client: L1WalletClient, escrow: Address, amount: bigint): Promise<TransactionReceipt> {
  return confirmTransaction(client, 'deposit', client.writeContract({ ...escrowCall(client, escrow), functionName: 'deposit', value: amount }));
}

/** Starts the withdrawal delay for `amount` wei. */
export function initiateEscrowWithdrawal(client: L1WalletClient, escrow: Address, amount: bigint): Promise<TransactionReceipt> {
  return confirmTransaction(
    client,
    'initiateWithdrawal',
    client.writeContract({ ...escrowCall(client, escrow), functionName: 'initiateWithdrawal', args: [amount] }),
  );
}

/** Pays out the pending withdrawal once its delay is over. */
export function withdrawFromEscrow(client: L1WalletClient, escrow: Address): Promise<TransactionReceipt> {
  return confirmTransaction(client, 'withdraw', client.writeContract({ ...escrowCall(client, escrow), functionName: 'withdraw' }));
}
