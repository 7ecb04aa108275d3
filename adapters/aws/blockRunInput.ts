import { z } from 'zod';
import type { BlockRunRequest } from '../../core/ports/blockRunDriver.js';
import type { Address, Bytes32 } from '../../core/protocol/types.js';

const decimal = z.string().regex(/^\d+$/, 'must be a decimal integer string').transform((text) => BigInt(text));
const bytes32 = z.string().regex(/^0x[0-9a-fA-F]{64}$/, 'must be 0x and 64 hex digits').transform((text) => text as Bytes32);
const address = z.string().regex(/^0x[0-9a-fA-F]{40}$/, 'must be 0x and 40 hex digits').transform((text) => text as Address);
const seconds = z.number().int().nonnegative();

/**
 * A BlockRunRequest as JSON (Step Functions input, the planner Lambda's event): bigints travel as decimal strings,
 * since JSON numbers lose precision past 2^53.
 */
export const blockRunInputSchema = z.object({
  runId: z.string().min(1).max(200),
  blockNumber: decimal,
  slot: decimal,
  bodyHash: bytes32,
  revealedIn: bytes32,
  txCount: z.number().int().nonnegative(),
  parentBlock: decimal,
  revealedAt: seconds,
  provingDeadline: seconds,
  exclusiveUntil: seconds,
  committedProver: address,
  reason: z.enum(['committed', 'open-race', 'prove-all']),
});

export type BlockRunInput = z.input<typeof blockRunInputSchema>;

export function toBlockRunInput(request: BlockRunRequest): BlockRunInput {
  return {
    ...request,
    blockNumber: request.blockNumber.toString(),
    slot: request.slot.toString(),
    parentBlock: request.parentBlock.toString(),
  };
}

export function parseBlockRunInput(input: unknown): BlockRunRequest {
  return blockRunInputSchema.parse(input);
}
