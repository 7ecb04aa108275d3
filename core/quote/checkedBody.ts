import type { QuoteRequest } from '../protocol/quoteRequest.js';
import type { Bytes32 } from '../protocol/types.js';

/**
 * A revealed body the quote service read from L1 and checked: the only body it signs a quote for. Its counts and
 * deadline come from L1, not from the request, so a quote is priced for what it covers.
 */
export interface CheckedBody {
  readonly blockNumber: bigint;
  readonly slot: bigint;
  readonly bodyHash: Bytes32;
  readonly txCount: number;
  /** Sum of public calls over the body's txs (drives the heavy-tier cost). */
  readonly publicCalls: number;
  readonly provingDeadline: number;
}

/**
 * Reads the revealed body the request names and checks it: the body on L1 must be the one the request names (block,
 * slot and hash) and pass the planner's checks. Says why not otherwise: quoting a body we cannot prove costs the bond.
 */
export type BodyCheck = (request: QuoteRequest) => Promise<{ readonly body: CheckedBody } | { readonly unprovable: string }>;
