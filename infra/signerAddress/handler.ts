import { KMSClient } from '@aws-sdk/client-kms';
import { getAddress } from 'viem';
import { createKmsAccount } from '../../adapters/aws/kmsAccount.js';
import { SignerAddressMismatchError } from '../errors/infraErrors.js';

/** The CloudFormation custom resource event, as the CDK provider framework hands it on. */
export interface SignerAddressEvent {
  readonly RequestType: 'Create' | 'Update' | 'Delete';
  readonly PhysicalResourceId?: string;
  readonly ResourceProperties: { readonly KeyId: string; readonly ExpectedAddress?: string };
}

/**
 * Deploy time only: reads the signer key's public key from KMS and answers its Ethereum address (the prover id), so a
 * created key needs no second deployment; with an expected address given, a key that does not sign as it fails the
 * deployment instead of every quote and proof.
 */
export function createSignerAddressHandler(client: Pick<KMSClient, 'send'> = new KMSClient({})) {
  return async (event: SignerAddressEvent): Promise<{ PhysicalResourceId: string; Data?: { Address: string } }> => {
    if (event.RequestType === 'Delete') return { PhysicalResourceId: event.PhysicalResourceId ?? 'deleted' };
    const { KeyId, ExpectedAddress } = event.ResourceProperties;
    const { address } = await createKmsAccount({ client: client as KMSClient, keyId: KeyId });
    if (ExpectedAddress && getAddress(ExpectedAddress) !== getAddress(address)) throw new SignerAddressMismatchError(KeyId, ExpectedAddress, address);
    return { PhysicalResourceId: address, Data: { Address: address } };
  };
}

export const handler = createSignerAddressHandler();
