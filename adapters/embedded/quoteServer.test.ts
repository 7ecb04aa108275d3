import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../core/ports/logger.js';
import type { QuoteRequest } from '../../core/protocol/quoteRequest.js';
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

describe('the quote endpoint', () => {
  let server: QuoteServer;
  afterEach(async () => server?.close());

  it('answers a quote request with the signed quote on the wire', async () => {
    server = await startQuoteServer({
      port: 0,
      log: silentLogger,
      answer: async (asked) => ({
        quote: { blockNumber: BigInt(asked.blockNumber), proverId: '0x00000000000000000000000000000000000000aa', feeBps: 750, bond: 5n * 10n ** 17n, validUntil: 1_700_000_012, proverSignature: '0x1234' },
      }),
    });
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const response = await fetch(`${server.url}/quote`, { method: 'POST', body: JSON.stringify(request) });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      blockNumber: '4',
      proverId: '0x00000000000000000000000000000000000000aa',
      feeBps: 750,
      bond: '500000000000000000',
      validUntil: 1_700_000_012,
      proverSignature: '0x1234',
    });
  });

  it('says why it declines (422), and refuses malformed requests (400) without calling the firm', async () => {
    const asked: QuoteRequest[] = [];
    server = await startQuoteServer({ port: 0, log: silentLogger, answer: async (q) => (asked.push(q), { refused: 'too big for us' }) });
    const declined = await fetch(`${server.url}/quote`, { method: 'POST', body: JSON.stringify(request) });
    expect([declined.status, await declined.json()]).toEqual([422, { error: 'too big for us' }]);
    const malformed = await fetch(`${server.url}/quote`, { method: 'POST', body: JSON.stringify({ ...request, txCount: -1 }) });
    expect(malformed.status).toBe(400);
    expect(((await malformed.json()) as { error: string }).error).toContain('txCount');
    const notJson = await fetch(`${server.url}/quote`, { method: 'POST', body: '{' });
    expect(notJson.status).toBe(400);
    const huge = await fetch(`${server.url}/quote`, { method: 'POST', body: 'x'.repeat(20_000) }).catch(() => ({ status: 413 }));
    expect(huge.status).toBe(413);
    expect(asked).toHaveLength(1);
    expect((await fetch(`${server.url}/health`)).status).toBe(200);
  });
});
