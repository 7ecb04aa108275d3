import { hexToBytes, keccak256 } from 'viem';
import { decodeBlockBodyBytes } from '../body/encodeBlockBody.js';
import { ProverBurstError } from '../errors/base.js';
import { getCircuitProfile } from '../profiles/getCircuitProfile.js';
import type { RollupChain } from '../ports/l1.js';
import type { BodyCheck } from './answerQuoteRequest.js';

/** A BodyCheck against L1: the body revealed for the block must hash to the request's hash and pass the planner's checks. */
export function checkRevealedBody(chain: RollupChain, profileName: string, maxTxs: number): BodyCheck {
  const profile = getCircuitProfile(profileName);
  const limits = { maxTxs: Math.min(maxTxs, profile.maxTxs), maxPublicCallsPerTx: profile.maxPublicCallsPerTx };
  return async (request) => {
    const bytes = hexToBytes(await chain.revealedBody(BigInt(request.blockNumber)));
    if (keccak256(bytes) !== request.bodyHash) return `body hash ${keccak256(bytes)} is not the requested ${request.bodyHash}`;
    try {
      decodeBlockBodyBytes(bytes, limits);
      return null;
    } catch (error) {
      if (error instanceof ProverBurstError) return `${error.name}: ${error.message}`;
      throw error;
    }
  };
}
