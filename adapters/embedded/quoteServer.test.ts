import { createWalletClient, custom } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { hardhat } from 'viem/chains';
import { afterEach, describe, expect, it } from 'vitest';
import type { Logger } from '../../core/ports/logger.js';
import { silentLogger } from '../../core/ports/logger.js';
import type { QuoteRequest } from '../../core/protocol/quoteRequest.js';
import type { Address } from '../../core/protocol/types.js';
import type { QuoteAnswer } from '../../core/quote/answerQuoteRequest.js';
import { authenticateQuoteRequest, DEFAULT_QUOTE_REQUEST_POLICY } from '../../core/quote/authenticateQuoteRequest.js';
import { RevealNotFoundError } from '../../l1/errors/l1Errors.js';
import { signQuoteRequest } from '../../l1/quotes/signQuoteRequest.js';
import { MAX_QUOTE_REQUEST_BYTES, routeQuoteRequest } from '../http/routeQuoteRequest.js';
import { createMemoryQuoteRequestLedger } from './memoryQuoteRequestLedger.js';
import { startQuoteServer, type QuoteServer } from './quoteServer.js';

const request: QuoteRequest = {
  blockNumber: '4',
  slot: '9',
  bodyHash: `0x${'ab'.repeat(32)}`,
  txCount: 64,
  publicCalls: 70,
  revealedAt: 1_700_000_000,
  provingDeadline: 1_700_000_120,
};
const NOW = 1_700_000_010;
const ROLLUP: Address = '0x9737C8F7353a1F5B4D63CEB3bc9445165b128414';
const domain = { chainId: hardhat.id, rollup: ROLLUP };
const wallet = (key: `0x${string}`) =>
  createWalletClient({ account: privateKeyToAccount(key), chain: hardhat, transport: custom({ request: () => Promise.reject(new Error('signs only')) }) });
const staked = wallet('0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a');
const unstaked = wallet('0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6');
const quote: QuoteAnswer = {
  quote: {
    blockNumber: 4n,
    slot: 9n,
    bodyHash: `0x${'ab'.repeat(32)}`,
    proverId: '0x00000000000000000000000000000000000000aa',
    feeBps: 750,
    bond: 5n * 10n ** 17n,
    validUntil: 1_700_000_012,
    proverSignature: '0x1234',
  },
};

const JSON_BODY = { 'content-type': 'application/json' };

describe('the quote endpoint', () => {
  let server: QuoteServer;
  afterEach(async () => server?.close());

  /** A firm's endpoint that admits requests as the devnet's and the Lambda's do: staked sequencers, each nonce once. */
  async function start(answer: (request: QuoteRequest) => Promise<QuoteAnswer>, policy = DEFAULT_QUOTE_REQUEST_POLICY, log: Logger = silentLogger) {
    const ledger = createMemoryQuoteRequestLedger();
    const stakes = { isActiveSequencer: async (address: Address) => address === staked.account.address };
    server = await startQuoteServer({
      port: 0,
      log,
      authenticate: (signed) => authenticateQuoteRequest(signed, { ...domain, nowSeconds: NOW, stakes, ledger }, policy),
      answer,
    });
    return server;
  }
  const post = async (body: unknown, headers: Record<string, string> = JSON_BODY) => {
    const response = await fetch(`${server.url}/quote`, { method: 'POST', headers, body: typeof body === 'string' ? body : JSON.stringify(body) });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  const signed = (by = staked, options: { expiresAt?: number; nonce?: string } = {}) => signQuoteRequest(by, domain, request, { expiresAt: NOW + 60, ...options });

  it('answers a request signed by a staked sequencer with the signed quote on the wire', async () => {
    await start(async () => quote);
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(await post(await signed())).toEqual({
      status: 200,
      body: {
        blockNumber: '4',
        slot: '9',
        bodyHash: `0x${'ab'.repeat(32)}`,
        proverId: '0x00000000000000000000000000000000000000aa',
        feeBps: 750,
        bond: '500000000000000000',
        validUntil: 1_700_000_012,
        proverSignature: '0x1234',
      },
    });
  });

  it('refuses unsigned (401), forged (401), expired (401), non-staked (403), replayed (409), oversized (413) and malformed (400) requests without asking the firm', async () => {
    const asked: QuoteRequest[] = [];
    await start(async (q) => (asked.push(q), { refused: 'too big for us', reason: 'BlockTooLarge' as const }));
    const good = await signed();
    expect(await post(good)).toEqual({ status: 422, body: { error: 'too big for us', reason: 'BlockTooLarge' } });

    const unsigned = await post(request);
    expect([unsigned.status, unsigned.body.error]).toEqual([401, expect.stringContaining('unsigned request')]);
    // The same signature over other terms recovers another address: it is not the sequencer's.
    const forged = await post({ ...(await signed()), request: { ...request, txCount: 1 } });
    expect([forged.status, forged.body.refused]).toEqual([401, 'bad-signature']);
    const claimed = await post({ ...(await signed(unstaked)), sequencer: staked.account.address });
    expect([claimed.status, claimed.body.refused, claimed.body.error]).toEqual([401, 'bad-signature', expect.stringContaining(`signed by ${unstaked.account.address}`)]);
    expect((await post(await signed(staked, { expiresAt: NOW }))).body).toMatchObject({ refused: 'expired' });
    expect((await post(await signed(staked, { expiresAt: NOW + 3_600 }))).status).toBe(401);
    const outsider = await post(await signed(unstaked));
    expect([outsider.status, outsider.body.refused]).toEqual([403, 'not-staked']);
    const replay = await post(good);
    expect([replay.status, replay.body.refused]).toEqual([409, 'replayed']);
    // The 413 reaches the client: the body is read to its end before the answer, so the connection is not reset under it.
    expect(await post({ ...good, padding: 'x'.repeat(20_000) })).toEqual({ status: 413, body: { error: 'request body over 16384 bytes' } });
    const malformed = await post({ ...(await signed()), nonce: '0x12' });
    expect([malformed.status, malformed.body.error]).toEqual([400, expect.stringContaining('nonce')]);
    expect(await post('{')).toEqual({ status: 400, body: { error: 'request body is not JSON' } });
    const beyond = 2n ** 256n;
    expect(await post({ ...(await signed()), request: { ...request, blockNumber: beyond.toString() } })).toEqual({
      status: 400,
      body: { error: `request.blockNumber is out of range: at most 2^256 − 1, got ${beyond}` },
    });
    expect(await post(await signed(), { 'content-type': 'text/plain' })).toEqual({ status: 415, body: { error: 'content-type must be application/json, got "text/plain"' } });
    expect(await post(await signed(), {})).toEqual({ status: 415, body: { error: 'content-type must be application/json, got "text/plain;charset=UTF-8"' } });
    expect((await fetch(`${server.url}/quote`)).status).toBe(405);
    expect((await fetch(`${server.url}/quotes`, { method: 'POST', headers: JSON_BODY, body: '{}' })).status).toBe(404);

    expect(asked).toHaveLength(1);
    expect((await fetch(`${server.url}/health`)).status).toBe(200);
  });

  it('answers 404 for a block that was never revealed', async () => {
    await start(async (asked): Promise<QuoteAnswer> => {
      throw new RevealNotFoundError(BigInt(asked.blockNumber), 0n);
    });
    expect(await post(await signQuoteRequest(staked, domain, { ...request, blockNumber: '1000000' }, { expiresAt: NOW + 60 }))).toEqual({
      status: 404,
      body: { error: 'block 1000000 has not been revealed' },
    });
  });

  it('answers 500 to what it did not expect, and logs it at most once per 10 s with the count of the rest', async () => {
    const lines: Record<string, unknown>[] = [];
    const log: Logger = { ...silentLogger, error: (message, fields) => lines.push({ message, ...fields }) };
    await start(() => Promise.reject(new Error('RPC down')), { ...DEFAULT_QUOTE_REQUEST_POLICY, perSequencerLimit: 1_000 }, log);
    const requests = await Promise.all(Array.from({ length: 50 }, () => signed()));
    const statuses = await Promise.all(requests.map(async (one) => (await post(one)).status));
    expect(new Set(statuses)).toEqual(new Set([500]));
    expect(lines).toEqual([{ message: 'quote endpoint failed', error: 'RPC down', failuresNotLogged: 0 }]);
  });

  it('throttles a sequencer flooding it (429): its allowance is per window (the ledger contract tests the next window)', async () => {
    await start(async () => quote, { ...DEFAULT_QUOTE_REQUEST_POLICY, perSequencerLimit: 3 });
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push((await post(await signed())).status);
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    const throttled = await post(await signed());
    expect(throttled.body.error).toContain('more than 3 requests in 60 s');
  });

  it('refuses an oversized body by its size where no server read limit stands in front (the Lambda)', async () => {
    const body = JSON.stringify({ ...(await signed()), padding: 'x'.repeat(MAX_QUOTE_REQUEST_BYTES) });
    const answer = await routeQuoteRequest({ method: 'POST', path: '/quote', contentType: 'application/json', body }, {
      authenticate: () => Promise.reject(new Error('never asked')),
      answer: () => Promise.reject(new Error('never asked')),
    });
    expect(answer).toEqual({ status: 413, body: { error: `request body over ${MAX_QUOTE_REQUEST_BYTES} bytes` } });
  });
});
