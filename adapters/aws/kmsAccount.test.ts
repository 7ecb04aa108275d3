import { CreateKeyCommand } from '@aws-sdk/client-kms';
import {
  createPublicClient,
  createWalletClient,
  hexToSignature,
  parseEther,
  recoverMessageAddress,
  recoverTypedDataAddress,
} from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startInProcessChain } from '../../l1/chain/startInProcessChain.js';
import type { LocalChain } from '../../l1/chain/localChainTypes.js';
import { openRollupChainFixture } from '../../l1/testing/rollupChainFixture.js';
import { describeRollupChainContract } from '../../test/contracts/rollupChain.contract.js';
import { emulatorClients } from '../../test/integration/support/awsTestEnvironment.js';
import { createKmsAccount } from './kmsAccount.js';

const HALF_N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n / 2n;

describe('the KMS-backed viem account (KMS on LocalStack)', () => {
  const clients = emulatorClients();
  let chain: LocalChain;
  let keyId: string;

  beforeAll(async () => {
    chain = await startInProcessChain();
    const { KeyMetadata } = await clients.kms.send(
      new CreateKeyCommand({ KeySpec: 'ECC_SECG_P256K1', KeyUsage: 'SIGN_VERIFY', Description: 'prover-burst submitter (test)' }),
    );
    keyId = KeyMetadata!.KeyId!;
  });
  afterAll(async () => {
    clients.destroy();
    await chain.stop();
  });

  it('signs a transaction that the local chain accepts', async () => {
    const account = await createKmsAccount({ client: clients.kms, keyId });
    const publicClient = createPublicClient({ chain: chain.chain, transport: chain.transport });
    const funder = createWalletClient({ account: privateKeyToAccount(chain.accounts[0]!), chain: chain.chain, transport: chain.transport });
    await publicClient.waitForTransactionReceipt({ hash: await funder.sendTransaction({ to: account.address, value: parseEther('1') }) });

    const wallet = createWalletClient({ account, chain: chain.chain, transport: chain.transport });
    const recipient = privateKeyToAccount(chain.accounts[1]!).address;
    const before = await publicClient.getBalance({ address: recipient });
    const hash = await wallet.sendTransaction({ to: recipient, value: parseEther('0.25') });
    const receipt = await publicClient.waitForTransactionReceipt({ hash });
    expect(receipt.status).toBe('success');
    expect(receipt.from.toLowerCase()).toBe(account.address.toLowerCase());
    expect((await publicClient.getBalance({ address: recipient })) - before).toBe(parseEther('0.25'));
  });

  it('signs messages and typed data that recover to its address, always with a low s', async () => {
    const account = await createKmsAccount({ client: clients.kms, keyId });
    for (let i = 0; i < 6; i++) {
      const message = `attestation ${i}`;
      const signature = await account.signMessage({ message });
      expect(await recoverMessageAddress({ message, signature })).toBe(account.address);
      expect(BigInt(hexToSignature(signature).s)).toBeLessThanOrEqual(HALF_N);
    }
    const typedData = {
      domain: { name: 'prover-burst', version: '1', chainId: 31337 },
      types: { Quote: [{ name: 'feeBps', type: 'uint16' }] },
      primaryType: 'Quote',
      message: { feeBps: 250 },
    } as const;
    const signature = await account.signTypedData(typedData);
    expect(await recoverTypedDataAddress({ ...typedData, signature })).toBe(account.address);
  });

  it('refuses a key that is not secp256k1', async () => {
    const { KeyMetadata } = await clients.kms.send(new CreateKeyCommand({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' }));
    await expect(createKmsAccount({ client: clients.kms, keyId: KeyMetadata!.KeyId! })).rejects.toThrow('ECC_SECG_P256K1');
  });
});

// The submitter's chain on AWS: the same viem RollupChain, its transactions and attestations signed in KMS.
describeRollupChainContract('viem on the local chain (KMS signer on LocalStack)', async () => {
  const clients = emulatorClients();
  const { KeyMetadata } = await clients.kms.send(
    new CreateKeyCommand({ KeySpec: 'ECC_SECG_P256K1', KeyUsage: 'SIGN_VERIFY', Description: 'prover-burst RollupChain contract' }),
  );
  const account = await createKmsAccount({ client: clients.kms, keyId: KeyMetadata!.KeyId! });
  const fixture = await openRollupChainFixture(async (f) => {
    await f.publicClient.waitForTransactionReceipt({ hash: await f.wallets[0]!.sendTransaction({ to: account.address, value: parseEther('1') }) });
    return createWalletClient({ account, chain: f.chain.chain, transport: f.chain.transport });
  });
  return {
    ...fixture,
    async close() {
      await fixture.close();
      clients.destroy();
    },
  };
});
