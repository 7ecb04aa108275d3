import { WaitForTransactionReceiptTimeoutError, type Hash, type TransactionReceipt } from 'viem';
import { TransactionNotMinedError } from '../errors/l1Errors.js';
import type { L1PublicClient, L1WalletClient } from './l1Clients.js';

export interface GasBumpingOptions {
  readonly confirmations: number;
  /** L1 timestamp after which a transaction is not worth landing: bumping stops and waiting gives up. */
  readonly deadline: number;
  /** How long a transaction may stay pending before it is re-sent with higher fees. */
  readonly bumpAfterMs: number;
  /** Factor applied to both fee caps per bump; above the 10% replacement minimum nodes require. */
  readonly bumpFactor?: number;
  readonly pollingIntervalMs?: number;
}

/**
 * Waits for a transaction; while it stays pending and the deadline has not passed, re-signs it with the same nonce
 * and fees raised by `bumpFactor` (the replacement reads the pending transaction from L1, so a different process than
 * the sender can bump it). viem's receipt wait follows a replaced transaction to whichever version was mined.
 */
export async function waitWithGasBumping(
  publicClient: L1PublicClient,
  walletClient: L1WalletClient,
  hash: Hash,
  options: GasBumpingOptions,
): Promise<TransactionReceipt> {
  const factor = options.bumpFactor ?? 1.125;
  let bumps = 0;
  let latest = hash;
  for (;;) {
    try {
      return await publicClient.waitForTransactionReceipt({
        hash: latest,
        confirmations: options.confirmations,
        timeout: options.bumpAfterMs,
        pollingInterval: options.pollingIntervalMs ?? 1_000,
      });
    } catch (error) {
      if (!(error instanceof WaitForTransactionReceiptTimeoutError)) throw error;
    }
    const now = Number((await publicClient.getBlock({ blockTag: 'latest' })).timestamp);
    if (now >= options.deadline) throw new TransactionNotMinedError(latest, options.deadline, bumps);
    const pending = await publicClient.getTransaction({ hash: latest });
    // Mined meanwhile, or not an EIP-1559 transaction we can re-price: keep waiting for it.
    if (pending.blockNumber !== null || pending.maxFeePerGas === undefined || pending.maxPriorityFeePerGas === undefined) continue;
    const raise = (fee: bigint) => (fee * BigInt(Math.round(factor * 1000))) / 1000n + 1n;
    latest = await walletClient.sendTransaction({
      account: walletClient.account,
      chain: walletClient.chain,
      to: pending.to!,
      data: pending.input,
      value: pending.value,
      nonce: pending.nonce,
      gas: pending.gas,
      maxFeePerGas: raise(pending.maxFeePerGas),
      maxPriorityFeePerGas: raise(pending.maxPriorityFeePerGas),
    });
    bumps++;
  }
}
