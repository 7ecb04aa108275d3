import type { Address, Hex } from 'viem';
import { proverEscrowAbi } from '../../contracts/artifacts/proverEscrow.js';
import { rollupAbi } from '../../contracts/artifacts/rollup.js';
import type { QuoteRequest } from '../../core/protocol/quoteRequest.js';
import { requiredProverBond } from '../../core/protocol/bonds.js';
import type { ProtocolParameters } from '../../core/protocol/types.js';
import { acceptQuote } from '../quotes/quoteSignatures.js';
import { signQuoteRequest } from '../quotes/signQuoteRequest.js';
import { createRollupChain } from '../rollup/createRollupChain.js';
import { confirmTransaction } from '../transactions/confirmTransaction.js';
import type { L1PublicClient, L1WalletClient } from '../transactions/l1Clients.js';
import { chooseQuote, type OfferedQuote } from './chooseQuote.js';
import { describeError } from './describeError.js';
import { requestQuote } from './requestQuote.js';
import { bodyCounts } from './simulatedBody.js';

export interface CommitCheapestQuoteParameters {
  readonly publicClient: L1PublicClient;
  readonly rollup: Address;
  readonly parameters: ProtocolParameters;
  /** The block's sequencer: it countersigns and sends the commitment. */
  readonly sequencer: L1WalletClient;
  readonly slot: bigint;
  readonly block: {
    readonly blockNumber: bigint;
    readonly bodyHash: Hex;
    readonly revealedAt: number;
    readonly provingDeadline: number;
  };
  readonly body: Hex;
  readonly commitEnd: number;
  readonly quoteEndpoints: readonly string[];
  readonly quoteTimeoutMs: number;
}

/** How long a sequencer's signed quote request stays valid (the endpoints refuse more than two minutes). */
const QUOTE_REQUEST_VALIDITY_SECONDS = 60;

export interface QuoteFailure {
  readonly endpoint: string;
  readonly reason: string;
}

/**
 * The commit phase of the slot's winner: asks every endpoint for a quote at once, keeps the valid ones, countersigns
 * the cheapest and commits it. The body must carry at least one tx (a quote request cannot describe an empty block). Returns the commitment (if one landed) and why each other endpoint was not used.
 */
export async function commitCheapestQuote(
  options: CommitCheapestQuoteParameters,
): Promise<{ commitment?: OfferedQuote; failures: QuoteFailure[] }> {
  const { publicClient, rollup, parameters, sequencer, block } = options;
  const counts = bodyCounts(options.body);
  const request: QuoteRequest = {
    blockNumber: block.blockNumber.toString(),
    slot: options.slot.toString(),
    bodyHash: block.bodyHash,
    ...counts,
    revealedAt: block.revealedAt,
    provingDeadline: block.provingDeadline,
  };
  const failures: QuoteFailure[] = [];
  // Each endpoint gets the request signed by the sequencer (a nonce of its own), valid for a minute of L1 time.
  const signedAt = Number((await publicClient.getBlock({ blockTag: 'latest' })).timestamp);
  const answers = await Promise.all(
    options.quoteEndpoints.map(async (endpoint): Promise<OfferedQuote | undefined> => {
      try {
        const signed = await signQuoteRequest(sequencer, { chainId: publicClient.chain.id, rollup }, request, { expiresAt: signedAt + QUOTE_REQUEST_VALIDITY_SECONDS });
        return { endpoint, quote: await requestQuote(endpoint, signed, options.quoteTimeoutMs) };
      } catch (error) {
        failures.push({ endpoint, reason: describeError(error) });
        return undefined;
      }
    }),
  );

  const domain = { chainId: publicClient.chain.id, rollup };
  const escrow = await publicClient.readContract({ address: rollup, abi: rollupAbi, functionName: 'escrow' });
  const { chosen, refused } = await chooseQuote(
    answers.filter((offer) => offer !== undefined),
    {
      domain,
      blockNumber: block.blockNumber,
      slot: options.slot,
      bodyHash: block.bodyHash,
      now: Number((await publicClient.getBlock({ blockTag: 'latest' })).timestamp),
      commitEnd: options.commitEnd,
      minProverBond: requiredProverBond(parameters, counts.txCount),
      maxFeeBps: 10_000 - parameters.sequencerBps,
      unlockedBalance: (proverId) =>
        publicClient.readContract({ address: escrow, abi: proverEscrowAbi, functionName: 'unlockedBalanceOf', args: [proverId] }),
    },
  );
  failures.push(...refused);
  if (!chosen) return { failures };

  const signature = await acceptQuote(sequencer, domain, chosen.quote);
  const chain = createRollupChain({ publicClient, walletClient: sequencer, rollup });
  await confirmTransaction(publicClient, 'commitProver', chain.commitProver(chosen.quote, signature));
  return { commitment: chosen, failures };
}
