import type { FleetTargets } from '../ports/fleetTargets.js';
import type { SignedQuotes } from '../ports/signedQuotes.js';
import type { RollupChain } from '../ports/l1.js';
import { readFleetCommitments, type FleetQuota } from './fleetCapacity.js';
import type { Logger } from '../ports/logger.js';
import { checkRevealedBody } from './checkRevealedBody.js';
import type { QuoteRequest } from '../protocol/quoteRequest.js';
import type { HexBytes, ProtocolParameters, QuoteTerms, SignedQuote } from '../protocol/types.js';
import type { BodyCheck } from './checkedBody.js';
import { priceQuote, type FleetCommitments, type QuoteRefusalReason } from './priceQuote.js';
import type { QuoteSettings } from './quoteSettings.js';

/** Signs quote terms as the prover (EIP-712 `ProverQuote`); a local key on the devnet, KMS in the cloud. */
export type QuoteSigner = (terms: QuoteTerms) => Promise<HexBytes>;

export type QuoteAnswer = { readonly quote: SignedQuote } | { readonly refused: string; readonly reason: QuoteRefusalReason };

/**
 * The quote endpoint's logic: read and check the revealed body, price it, sign terms that name exactly that body
 * (block, slot, body hash), or say why not. Nothing is signed for a body that was not checked.
 */
export async function answerQuoteRequest(
  request: QuoteRequest,
  deps: {
    readonly parameters: ProtocolParameters;
    readonly sign: QuoteSigner;
    readonly checkBody: BodyCheck;
    readonly log: Logger;
    readonly nowSeconds: number;
    /** What the fleet is committed to and may hold; without it, quotes are priced without a capacity check. */
    readonly fleet?: () => Promise<FleetCommitments>;
    /** Where signed quotes are remembered, so later quotes count their blocks before their runs start. */
    readonly quotes?: Pick<SignedQuotes, 'record'>;
  },
  settings: QuoteSettings,
): Promise<QuoteAnswer> {
  const checked = await deps.checkBody(request);
  if ('unprovable' in checked) {
    deps.log.warn('declined to quote an unprovable body', { blockNumber: request.blockNumber, why: checked.unprovable });
    return { refused: `the revealed body cannot be proven: ${checked.unprovable}`, reason: 'UnprovableBody' };
  }
  const fleet = deps.fleet ? await deps.fleet() : undefined;
  const decision = priceQuote(checked.body, deps.parameters, settings, deps.nowSeconds, fleet);
  if (!decision.quote) {
    deps.log.info('declined to quote', { blockNumber: request.blockNumber, reason: decision.reason, why: decision.why });
    return { refused: decision.why, reason: decision.reason };
  }
  // Recorded before it is signed: a quote the fleet may owe is never missing from the next quote's check.
  if (deps.quotes && decision.demand) {
    const { terms } = decision;
    const { key, startsAt, deadline, workSeconds, shape } = decision.demand;
    await deps.quotes.record({ key, startsAt, deadline, workSeconds, shape, validUntil: terms.validUntil });
  }
  const proverSignature = await deps.sign(decision.terms);
  deps.log.info('quoted', { blockNumber: request.blockNumber, bodyHash: decision.terms.bodyHash, feeBps: decision.terms.feeBps, bond: decision.terms.bond });
  return { quote: { ...decision.terms, proverSignature } };
}

/**
 * The quote endpoint as the devnet's server and the quote Lambda both serve it: each request reads the protocol's
 * parameters and L1's time, checks the revealed body on `chain` against the profile and size cap, then answers.
 */
export function quoteAnswerer(
  deps: {
    readonly chain: RollupChain;
    readonly sign: QuoteSigner;
    readonly log: Logger;
    /**
     * The scaler's published targets, the quotes signed so far and the fleet's quota: quotes are checked against what
     * the fleet holds and can bring up, and each signed one is recorded.
     */
    readonly fleet?: { readonly targets: Pick<FleetTargets, 'get'>; readonly quotes?: SignedQuotes; readonly quota: FleetQuota };
  },
  settings: QuoteSettings,
): (request: QuoteRequest) => Promise<QuoteAnswer> {
  const checkBody = checkRevealedBody(deps.chain, settings.profile, settings.maxTxs);
  const { fleet } = deps;
  return async (request) => {
    const [parameters, nowSeconds] = await Promise.all([deps.chain.parameters(), deps.chain.latestTimestamp()]);
    return answerQuoteRequest(
      request,
      {
        parameters,
        nowSeconds,
        checkBody,
        log: deps.log,
        sign: deps.sign,
        ...(fleet ? { fleet: () => readFleetCommitments(fleet, fleet.quota, nowSeconds) } : {}),
        ...(fleet?.quotes ? { quotes: fleet.quotes } : {}),
      },
      settings,
    );
  };
}
