import { keccak256, type Hex } from 'viem';
import { encodeRootPublicInputs } from '../../core/protocol/publicInputs.js';
import type { RootPublicInputs } from '../../core/protocol/types.js';
import { AttestationSignerError } from '../errors/l1Errors.js';
import type { L1WalletClient } from '../transactions/l1Clients.js';

/**
 * The "proof" the DevelopmentAttestationVerifier accepts: the prover id's EIP-191 signature over keccak256 of the
 * encoded public inputs. A development stand-in that proves nothing about the block; it is not a zero-knowledge proof.
 */
export function signDevelopmentAttestation(client: L1WalletClient, inputs: RootPublicInputs): Promise<Hex> {
  if (client.account.address.toLowerCase() !== inputs.proverId.toLowerCase()) {
    throw new AttestationSignerError(client.account.address, inputs.proverId);
  }
  return client.signMessage({ account: client.account, message: { raw: keccak256(encodeRootPublicInputs(inputs)) } });
}
