import { hexToBytes, keccak256 } from 'viem';
import { decodeBlockBodyBytes } from '../body/encodeBlockBody.js';
import { ProverBurstError } from '../errors/base.js';
import { UnrevealedBlockError } from '../errors/body.js';
import { bodyLimitsOf } from '../profiles/circuitProfile.js';
import { getCircuitProfile } from '../profiles/getCircuitProfile.js';
import type { RollupChain } from '../ports/l1.js';
import type { BodyCheck } from './checkedBody.js';

/**
 * A BodyCheck against L1: the block must be revealed in the request's slot, its body (read from the reveal's calldata)
 * must hash to the request's hash and pass the planner's checks. The checked body's own counts are returned; a block
 * with no reveal at all is an UnrevealedBlockError (the endpoint's 404), not a refusal.
 */
export function checkRevealedBody(chain: RollupChain, profileName: string, maxTxs: number): BodyCheck {
  const profile = getCircuitProfile(profileName);
  const limits = bodyLimitsOf(profile, maxTxs);
  return async (request) => {
    const blockNumber = BigInt(request.blockNumber);
    const state = await chain.blockState(blockNumber);
    if (state.status === 'unknown') throw new UnrevealedBlockError(blockNumber);
    if (state.status !== 'revealed') return { unprovable: `block ${blockNumber} is ${state.status}` };
    if (state.slot.toString() !== request.slot) return { unprovable: `block ${blockNumber} was revealed in slot ${state.slot}, not ${request.slot}` };
    if (state.bodyHash !== request.bodyHash) return { unprovable: `block ${blockNumber} holds body ${state.bodyHash}, not the requested ${request.bodyHash}` };
    const bytes = hexToBytes(await chain.revealedBody(blockNumber));
    const bodyHash = keccak256(bytes);
    // The body may have been replaced between the two reads: the quote is only ever for the bytes checked here.
    if (bodyHash !== request.bodyHash) return { unprovable: `body hash ${bodyHash} is not the requested ${request.bodyHash}` };
    try {
      const body = decodeBlockBodyBytes(bytes, limits);
      const publicCalls = body.txs.reduce((sum, tx) => sum + tx.publicCalls, 0);
      return {
        body: { blockNumber, slot: state.slot, bodyHash, txCount: body.txs.length, publicCalls, provingDeadline: state.provingDeadline },
      };
    } catch (error) {
      if (error instanceof ProverBurstError) return { unprovable: `${error.name}: ${error.message}` };
      throw error;
    }
  };
}
