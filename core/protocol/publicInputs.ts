import { encodeAbiParameters, keccak256 } from 'viem';
import type { Bytes32, RootPublicInputs } from './types.js';

/** ABI encoding of the root public inputs, as `submitProof` receives them. */
export function encodeRootPublicInputs(inputs: RootPublicInputs): `0x${string}` {
  return encodeAbiParameters(
    [
      { name: 'blockNumber', type: 'uint256' },
      { name: 'proverId', type: 'address' },
      { name: 'bodyHash', type: 'bytes32' },
      { name: 'parentStateRoot', type: 'bytes32' },
      { name: 'newStateRoot', type: 'bytes32' },
    ],
    [inputs.blockNumber, inputs.proverId, inputs.bodyHash, inputs.parentStateRoot, inputs.newStateRoot],
  );
}

/** keccak256 of the encoded public inputs: what a verifier checks the proof against. */
export function hashRootPublicInputs(inputs: RootPublicInputs): Bytes32 {
  return keccak256(encodeRootPublicInputs(inputs));
}
