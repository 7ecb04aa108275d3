import { keccak256, type Hex } from 'viem';
import { describe, expect, it } from 'vitest';
import { FAKE_PARAMETERS, fakeRollupChain } from '../../test/support/fakeRollupChain.js';
import { encodeBlockBody } from '../body/encodeBlockBody.js';
import { UnrevealedBlockError } from '../errors/body.js';
import { syntheticBlockBody } from '../body/syntheticBlockBody.js';
import { DEFAULT_COST_MODEL } from '../cost/costModel.js';
import { silentLogger } from '../ports/logger.js';
import type { QuoteRequest } from '../protocol/quoteRequest.js';
import { slotSchedule } from '../protocol/slotSchedule.js';
import type { QuoteTerms } from '../protocol/types.js';
import { answerQuoteRequest, quoteAnswerer } from './answerQuoteRequest.js';
import type { BodyCheck, CheckedBody } from './checkedBody.js';
import { checkRevealedBody } from './checkRevealedBody.js';
import { priceQuote, type FleetCommitments } from './priceQuote.js';
import { DEFAULT_QUOTE_PUBLICATION_LAG_SECONDS, readFleetCommitments } from './fleetCapacity.js';
import { createMemoryFleetTargets } from '../../adapters/embedded/memoryFleetTargets.js';
import { createMemorySignedQuotes } from '../../adapters/embedded/memorySignedQuotes.js';
import { runIdFor } from '../run/runIdFor.js';
import type { QuoteSettings } from './quoteSettings.js';

const PROVER = '0x00000000000000000000000000000000000000aa';
const settings: QuoteSettings = {
  proverId: PROVER,
  profile: 'rfp-2023',
  costModel: { ...DEFAULT_COST_MODEL, usdPerEth: 3_000 },
  bond: 10n ** 18n,
  secondsPerExpectedSecond: 0.01,
  provisioningSeconds: 2,
  maxTxs: 1_024,
};
const body = encodeBlockBody(syntheticBlockBody({ txs: 32, publicCalls: { kind: 'fixed', calls: 2 }, seed: 'quoted' }));
const malformed = (() => {
  const [tx] = syntheticBlockBody({ txs: 1, publicCalls: { kind: 'fixed', calls: 1 }, seed: 'twice' }).txs;
  return encodeBlockBody({ txs: [tx!, tx!] });
})();

/** A fake L1 with block 1 revealed in slot 1 holding `revealed`, a signer that records what it signs, and the answer. */
function quoting(revealed: Hex) {
  const chain = fakeRollupChain(PROVER);
  chain.now = slotSchedule(FAKE_PARAMETERS, 1n).commitStart;
  chain.reveal({ blockNumber: 1n, body: revealed });
  const signed: QuoteTerms[] = [];
  const answer = (request: Partial<QuoteRequest>) =>
    answerQuoteRequest(
      { blockNumber: '1', slot: '1', bodyHash: keccak256(revealed), txCount: 32, publicCalls: 64, revealedAt: chain.now, provingDeadline: chain.now + 300, ...request },
      {
        parameters: FAKE_PARAMETERS,
        nowSeconds: chain.now,
        checkBody: checkRevealedBody(chain, 'rfp-2023', 1_024),
        log: silentLogger,
        sign: async (terms) => (signed.push(terms), '0x1234'),
      },
      settings,
    );
  return { chain, signed, answer };
}

const times = slotSchedule(FAKE_PARAMETERS, 7n);
const request: QuoteRequest = {
  blockNumber: '4',
  slot: '7',
  bodyHash: `0x${'ab'.repeat(32)}`,
  txCount: 64,
  publicCalls: 64,
  revealedAt: times.commitStart - 1,
  provingDeadline: times.commitStart + 300,
};
const checked: CheckedBody = { blockNumber: 4n, slot: 7n, bodyHash: `0x${'ab'.repeat(32)}`, txCount: 64, publicCalls: 64, provingDeadline: times.commitStart + 300 };

/** Answers `request` with a body check that returns `outcome`, recording what was checked and signed. */
async function answerWith(outcome: Awaited<ReturnType<BodyCheck>>, fleet?: () => Promise<FleetCommitments>) {
  const signed: QuoteTerms[] = [];
  const asked: QuoteRequest[] = [];
  const deps = {
    parameters: FAKE_PARAMETERS,
    sign: async (terms: QuoteTerms) => {
      signed.push(terms);
      return '0x5157' as const;
    },
    checkBody: async (question: QuoteRequest) => (asked.push(question), outcome),
    log: silentLogger,
    nowSeconds: times.commitStart,
    ...(fleet ? { fleet } : {}),
  };
  return { answer: await answerQuoteRequest(request, deps, settings), signed, asked };
}

describe('answerQuoteRequest', () => {
  it('signs the priced terms of the checked body and returns them with the signature', async () => {
    const { answer: reply, signed, asked } = await answerWith({ body: checked });
    const priced = priceQuote(checked, FAKE_PARAMETERS, settings, times.commitStart);
    expect(priced.quote).toBe(true);
    if (!priced.quote) return;
    expect(signed).toEqual([priced.terms]);
    expect(reply).toEqual({ quote: { ...priced.terms, proverSignature: '0x5157' } });
    expect(asked).toEqual([request]);
  });

  it('never quotes a body it cannot prove: the check says why, nothing is signed', async () => {
    const { answer: reply, signed } = await answerWith({ unprovable: 'BlockTooLargeError: block has 9 txs, more than the maximum of 8' });
    expect(reply).toEqual({ refused: 'the revealed body cannot be proven: BlockTooLargeError: block has 9 txs, more than the maximum of 8', reason: 'UnprovableBody' });
    expect(signed).toEqual([]);
  });

  it('passes on why the price does not work, signing nothing', async () => {
    const { answer: reply, signed } = await answerWith({ body: { ...checked, txCount: 2_000 } });
    expect(reply).toEqual({ refused: '2000 txs is above our limit of 1024', reason: 'BlockTooLarge' });
    expect(signed).toEqual([]);
  });

  it('refuses a block the fleet cannot prove on top of what it is committed to, by name, signing nothing', async () => {
    const targets = createMemoryFleetTargets();
    const now = times.commitStart;
    // The block needs 57.3 light agent-seconds (191 light proofs of 0.3 s) by now + 300, from now + 2; one light agent
    // gives 298, but a live run due at now + 250 still needs 245 of them.
    const quota = { agents: { heavy: 1, light: 1 }, utilisation: 1 };
    let publications = 0;
    const publish = (remainingSeconds: number) =>
      targets.put('light', {
        agents: 1,
        observed: 1,
        leftAtCount: 0,
        leftBefore: 0,
        quotaAgents: 1,
        aboveSince: null,
        work: remainingSeconds > 0 ? [{ runId: 'run-a', deadline: now + 250, reason: 'committed', remainingSeconds }] : [],
        publishedAt: ++publications,
      });
    const fleet = () => readFleetCommitments({ targets }, quota, now);
    await publish(245);
    const { answer: reply, signed } = await answerWith({ body: checked }, fleet);
    expect(reply).toMatchObject({ reason: 'FleetCapacityExceeded', refused: expect.stringContaining('the light tier would need') });
    expect(signed).toEqual([]);
    // With the run done, the same fleet quotes it.
    await publish(0);
    expect((await answerWith({ body: checked }, fleet)).answer).toHaveProperty('quote');
  });

  it('records each quote it signs, and counts it as committed work before its run starts, until it lapses untaken', async () => {
    const targets = createMemoryFleetTargets();
    const quotes = createMemorySignedQuotes();
    // One light agent a quarter used gives ~74 light agent-seconds by the deadline: one 64-tx block (57.3), not two.
    const quota = { agents: { heavy: 1, light: 1 }, utilisation: 0.25 };
    const block5: CheckedBody = { ...checked, blockNumber: 5n, bodyHash: `0x${'cd'.repeat(32)}` };
    const ask = async (body: CheckedBody, nowSeconds: number) => {
      const signed: QuoteTerms[] = [];
      const answer = await answerQuoteRequest(
        { ...request, blockNumber: String(body.blockNumber), bodyHash: body.bodyHash },
        {
          parameters: FAKE_PARAMETERS,
          sign: async (terms) => (signed.push(terms), '0x5157'),
          checkBody: async () => ({ body }),
          log: silentLogger,
          nowSeconds,
          fleet: () => readFleetCommitments({ targets, quotes }, quota, nowSeconds),
          quotes,
        },
        settings,
      );
      return { answer, signed };
    };
    expect((await ask(checked, times.commitStart)).answer).toHaveProperty('quote');
    const [recorded] = await quotes.list(times.commitStart);
    expect(recorded).toMatchObject({ key: runIdFor(4n, checked.bodyHash), validUntil: times.commitEnd, deadline: times.commitStart + 300 });
    // Asked again for the same block, it replaces its own quote rather than counting it twice.
    expect((await ask(checked, times.commitStart)).answer).toHaveProperty('quote');
    // Nothing is published for block 4 yet, but its signed quote holds the fleet: block 5 is refused, nothing signed.
    const refused = await ask(block5, times.commitStart);
    expect(refused.answer).toMatchObject({ reason: 'FleetCapacityExceeded', refused: expect.stringContaining('2 block(s)') });
    expect(refused.signed).toEqual([]);
    // Once block 4's quote has lapsed with no run published for it, it binds nothing.
    const lapsed = times.commitEnd + DEFAULT_QUOTE_PUBLICATION_LAG_SECONDS;
    expect((await ask({ ...block5, provingDeadline: lapsed + 300 }, lapsed)).answer).toHaveProperty('quote');
  });

  it('M1: signs terms naming the block, slot and body hash it read from L1, priced from that body, not from the request', async () => {
    const { chain, signed, answer } = quoting(body);
    // The request understates the block: the quote is priced for the 32 txs × 2 calls actually revealed.
    const answered = await answer({ txCount: 1, publicCalls: 0 });
    expect('quote' in answered).toBe(true);
    const state = await chain.blockState(1n);
    const expected = priceQuote(
      { blockNumber: 1n, slot: state.slot, bodyHash: keccak256(body), txCount: 32, publicCalls: 64, provingDeadline: state.provingDeadline },
      FAKE_PARAMETERS,
      settings,
      chain.now,
    );
    expect(expected.quote).toBe(true);
    expect(signed).toEqual([expected.quote && expected.terms]);
    expect(signed[0]).toMatchObject({ blockNumber: 1n, slot: state.slot, bodyHash: keccak256(body) });
  });

  it('M1: signs nothing for a body it has not checked: another hash, another slot, an unrevealed block, or a body that cannot be proven', async () => {
    const { signed, answer } = quoting(body);
    expect(await answer({ bodyHash: keccak256('0x01') })).toEqual({
      refused: expect.stringContaining(`holds body ${keccak256(body)}, not the requested ${keccak256('0x01')}`) as string,
      reason: 'UnprovableBody',
    });
    expect(await answer({ slot: '2' })).toEqual({ refused: expect.stringContaining('revealed in slot 1, not 2') as string, reason: 'UnprovableBody' });
    // A block with no reveal is not refused but named (the endpoint answers 404).
    await expect(answer({ blockNumber: '2' })).rejects.toThrow(UnrevealedBlockError);

    const bad = quoting(malformed);
    expect(await bad.answer({})).toEqual({ refused: expect.stringContaining('DuplicateTxHashError') as string, reason: 'UnprovableBody' });
    expect([...signed, ...bad.signed]).toEqual([]);
  });

  it('quoteAnswerer: answers from L1’s parameters, time and revealed body, and against the fleet’s published work when it has one', async () => {
    const chain = fakeRollupChain(PROVER);
    chain.now = slotSchedule(FAKE_PARAMETERS, 1n).commitStart;
    chain.reveal({ blockNumber: 1n, body });
    const asked: QuoteRequest = { blockNumber: '1', slot: '1', bodyHash: keccak256(body), txCount: 32, publicCalls: 64, revealedAt: chain.now, provingDeadline: chain.now + 300 };
    const signed: QuoteTerms[] = [];
    const sign = async (terms: QuoteTerms) => (signed.push(terms), '0x5157' as const);
    const answered = await quoteAnswerer({ chain, sign, log: silentLogger }, settings)(asked);
    expect(answered).toEqual({ quote: { ...signed[0]!, proverSignature: '0x5157' } });
    expect(signed[0]).toMatchObject({ blockNumber: 1n, slot: 1n, bodyHash: keccak256(body) });
    // A live run due before this block holds the only light agent for far longer than it has.
    const targets = createMemoryFleetTargets();
    await targets.put('light', {
      agents: 1,
      observed: 1,
      leftAtCount: 0,
      leftBefore: 0,
      quotaAgents: 1,
      aboveSince: null,
      work: [{ runId: 'run-a', deadline: chain.now + 250, reason: 'committed', remainingSeconds: 1_000 }],
      publishedAt: 0,
    });
    const fleet = { targets, quota: { agents: { heavy: 1, light: 1 }, utilisation: 1 } };
    expect(await quoteAnswerer({ chain, sign, log: silentLogger, fleet }, settings)(asked)).toMatchObject({ reason: 'FleetCapacityExceeded' });
    expect(signed).toHaveLength(1);
  });
});
