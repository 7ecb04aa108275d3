import { GetPublicKeyCommand } from '@aws-sdk/client-kms';
import { hexToBytes } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { describe, expect, it } from 'vitest';
import { createSignerAddressHandler } from '../../infra/signerAddress/handler.js';
import { SignerAddressMismatchError } from '../../infra/errors/infraErrors.js';

const PRIVATE_KEY = '0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d';
const account = privateKeyToAccount(PRIVATE_KEY);
/** A DER SubjectPublicKeyInfo of the account's secp256k1 key, as KMS GetPublicKey returns it. */
const spki = hexToBytes(`0x3056301006072a8648ce3d020106052b8104000a034200${account.publicKey.slice(2)}`);
const kms = {
  calls: [] as unknown[],
  async send(command: unknown) {
    this.calls.push(command);
    if (!(command instanceof GetPublicKeyCommand)) throw new Error('only GetPublicKey');
    return { PublicKey: spki, KeySpec: 'ECC_SECG_P256K1' };
  },
};
const handler = createSignerAddressHandler(kms);
const KEY = 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';

describe('the signer address custom resource (deploy time)', () => {
  it('answers the key\'s address, the prover id', async () => {
    await expect(handler({ RequestType: 'Create', ResourceProperties: { KeyId: KEY } })).resolves.toEqual({ PhysicalResourceId: account.address, Data: { Address: account.address } });
  });

  it('fails the deployment when the configured prover id is not the key\'s', async () => {
    const other = '0x5B38Da6a701c568545dCfcB03FcB875f56beddC4';
    await expect(handler({ RequestType: 'Update', ResourceProperties: { KeyId: KEY, ExpectedAddress: other } })).rejects.toThrow(SignerAddressMismatchError);
    await expect(handler({ RequestType: 'Update', ResourceProperties: { KeyId: KEY, ExpectedAddress: account.address.toLowerCase() } })).resolves.toMatchObject({ Data: { Address: account.address } });
  });

  it('deletes nothing (the key is retained, and was never ours to delete)', async () => {
    const before = kms.calls.length;
    await expect(handler({ RequestType: 'Delete', PhysicalResourceId: account.address, ResourceProperties: { KeyId: KEY } })).resolves.toEqual({ PhysicalResourceId: account.address });
    expect(kms.calls.length).toBe(before);
  });
});
