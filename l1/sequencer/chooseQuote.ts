import type { Address, Hex } from 'viem';
import type { SignedQuote } from '../../core/protocol/types.js';
import { isSignedByProver, type QuoteDomain } from '../quotes/quoteSignatures.js';

/** What a quote must satisfy to be committed now (the contract's own checks, made before spending gas). */
export interface QuoteRules {
  readonly domain: QuoteDomain;
  readonly blockNumber: bigint;
  /** The block's slot and body: a quote must name exactly these (the body its prover checked). */
  readonly slot: bigint;
  readonly bodyHash: Hex;
  /** Current L1 time; a quote must still be valid after it. */
  readonly now: number;
  /** A quote valid past the commit phase is refused on chain. */
  readonly commitEnd: number;
  /** The protocol's minimum bond for this block's size (requiredProverBond). */
  readonly minProverBond: bigint;
  /** 10,000 − sequencerBps. */
  readonly maxFeeBps: number;
  /** What the prover's escrow can lock right now. */
  unlockedBalance(proverId: Address): Promise<bigint>;
}

export interface OfferedQuote {
  readonly endpoint: string;
  readonly quote: SignedQuote;
}

/** The lowest-fee quote that passes every rule (the first offered on a tie), and why each other one was refused. */
export async function chooseQuote(
  offers: readonly OfferedQuote[],
  rules: QuoteRules,
): Promise<{ chosen?: OfferedQuote; refused: { endpoint: string; reason: string }[] }> {
  const refused: { endpoint: string; reason: string }[] = [];
  let chosen: OfferedQuote | undefined;
  for (const offer of offers) {
    const reason = await refusalOf(offer.quote, rules);
    if (reason) refused.push({ endpoint: offer.endpoint, reason });
    else if (!chosen || offer.quote.feeBps < chosen.quote.feeBps) chosen = offer;
  }
  return chosen ? { chosen, refused } : { refused };
}

async function refusalOf(quote: SignedQuote, rules: QuoteRules): Promise<string | undefined> {
  if (quote.blockNumber !== rules.blockNumber) return `quote is for block ${quote.blockNumber}, not ${rules.blockNumber}`;
  if (quote.slot !== rules.slot) return `quote is for slot ${quote.slot}, not ${rules.slot}`;
  if (quote.bodyHash !== rules.bodyHash) return `quote is for body ${quote.bodyHash}, not the revealed ${rules.bodyHash}`;
  if (quote.bond < rules.minProverBond) return `bond ${quote.bond} is below the minimum ${rules.minProverBond}`;
  if (quote.validUntil <= rules.now) return `quote expired at ${quote.validUntil}`;
  if (quote.validUntil > rules.commitEnd) return `quote is valid past the commit phase (${quote.validUntil} > ${rules.commitEnd})`;
  if (quote.feeBps > rules.maxFeeBps) return `fee ${quote.feeBps} bps is above the prover share ${rules.maxFeeBps}`;
  if (!(await isSignedByProver(rules.domain, quote).catch(() => false))) return 'the signature is not the prover id’s';
  const unlocked = await rules.unlockedBalance(quote.proverId);
  if (unlocked < quote.bond) return `the prover's escrow holds ${unlocked} unlocked, less than the bond ${quote.bond}`;
  return undefined;
}
