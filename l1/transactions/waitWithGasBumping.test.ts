import { createPublicClient, createTestClient, createWalletClient, parseEther, parseGwei, type Hash } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { afterEach, describe, expect, it } from 'vitest';
import { startInProcessChain } from '../chain/startInProcessChain.js';
import type { LocalChain } from '../chain/localChainTypes.js';
import { TransactionNotMinedError } from '../errors/l1Errors.js';
import { waitWithGasBumping } from './waitWithGasBumping.js';

describe('waitWithGasBumping', () => {
  let chain: LocalChain;
  afterEach(async () => chain?.stop());

  const setUp = async () => {
    chain = await startInProcessChain();
    const publicClient = createPublicClient({ chain: chain.chain, transport: chain.transport });
    const testClient = createTestClient({ mode: 'hardhat', chain: chain.chain, transport: chain.transport });
    const walletClient = createWalletClient({ account: privateKeyToAccount(chain.accounts[1]!), chain: chain.chain, transport: chain.transport });
    await testClient.setAutomine(false);
    const hash = await walletClient.sendTransaction({
      to: privateKeyToAccount(chain.accounts[2]!).address,
      value: parseEther('1'),
      maxFeePerGas: parseGwei('2'),
      maxPriorityFeePerGas: parseGwei('1'),
    });
    return { publicClient, testClient, walletClient, hash };
  };

  it('re-sends a pending transaction with higher fees and returns the receipt of the version that was mined', async () => {
    const { publicClient, testClient, walletClient, hash } = await setUp();
    const now = Number((await publicClient.getBlock()).timestamp);
    const waiting = waitWithGasBumping(publicClient, walletClient, hash, { confirmations: 1, deadline: now + 3_600, bumpAfterMs: 300, pollingIntervalMs: 50 });
    // Mine once the pool holds a re-priced replacement (same sender, same nonce, higher fee cap).
    const deadline = Date.now() + 10_000;
    let replacement: Hash | undefined;
    while (!replacement && Date.now() < deadline) {
      const pending = await publicClient.getBlock({ blockTag: 'pending', includeTransactions: true });
      replacement = pending.transactions.find((tx) => tx.hash !== hash && tx.maxFeePerGas! > parseGwei('2'))?.hash;
      if (!replacement) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(replacement).toBeDefined();
    await testClient.mine({ blocks: 1 });
    const receipt = await waiting;
    expect(receipt.status).toBe('success');
    expect(receipt.transactionHash).toBe(replacement);
    const mined = await publicClient.getTransaction({ hash: receipt.transactionHash });
    expect(mined.maxFeePerGas).toBeGreaterThanOrEqual(parseGwei('2.25'));
    expect(mined.nonce).toBe((await publicClient.getTransaction({ hash: replacement! })).nonce);
  });

  it('gives up with a named error once the deadline has passed', async () => {
    const { publicClient, walletClient, hash } = await setUp();
    const now = Number((await publicClient.getBlock()).timestamp);
    const error = await waitWithGasBumping(publicClient, walletClient, hash, { confirmations: 1, deadline: now, bumpAfterMs: 200 }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TransactionNotMinedError);
    expect(error).toMatchObject({ hash, deadline: now, bumps: 0 });
  });
});
