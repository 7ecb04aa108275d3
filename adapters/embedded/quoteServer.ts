import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../../core/ports/logger.js';
import { MAX_QUOTE_REQUEST_BYTES, routeQuoteRequest, type QuoteEndpoint } from '../http/routeQuoteRequest.js';

export interface QuoteServer {
  readonly url: string;
  close(): Promise<void>;
}

/** A body past the limit is still read (and dropped) up to this, so the client gets the 413 instead of a reset. */
const DRAIN_LIMIT_BYTES = 1024 * 1024;
/** A client that has not sent its whole request by then is cut off (a slow client cannot hold a connection). */
const REQUEST_TIMEOUT_MS = 10_000;
/** At most one failure line per this interval; the count of the others goes with the next one. */
const FAILURE_LOG_INTERVAL_MS = 10_000;

/**
 * The firm's quote endpoint on 127.0.0.1, with the HTTP contract of `routeQuoteRequest` (signed requests from
 * staked sequencers only); a body over 16 KiB is answered 413 (the connection is closed after it). Nothing is logged per request; unexpected failures (answered
 * 500) are logged at most once per 10 s, with how many there were.
 */
export function startQuoteServer(options: QuoteEndpoint & { readonly port: number; readonly log: Logger }): Promise<QuoteServer> {
  let lastLoggedAt = -Infinity;
  let unlogged = 0;
  const logFailure = (error: unknown) => {
    const now = performance.now();
    if (now - lastLoggedAt < FAILURE_LOG_INTERVAL_MS) {
      unlogged++;
      return;
    }
    options.log.error('quote endpoint failed', { error: error instanceof Error ? error.message : String(error), failuresNotLogged: unlogged });
    lastLoggedAt = now;
    unlogged = 0;
  };
  const server = createServer({ requestTimeout: REQUEST_TIMEOUT_MS }, (request, response) => {
    void route(request, response, options).catch((error: unknown) => {
      logFailure(error);
      if (!response.headersSent) reply(response, 500, { error: 'internal error' });
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}`,
        close: () =>
          new Promise((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}

async function route(request: IncomingMessage, response: ServerResponse, endpoint: QuoteEndpoint): Promise<void> {
  const body = request.method === 'POST' ? await readBody(request) : '';
  if (body === null) return reply(response, 413, { error: `request body over ${MAX_QUOTE_REQUEST_BYTES} bytes` }, { connection: 'close' });
  const contentType = request.headers['content-type'];
  const { status, body: answered } = await routeQuoteRequest({ method: request.method ?? '', path: request.url ?? '', contentType, body }, endpoint);
  reply(response, status, answered);
}

/** The body as text, or null when it is over the limit (read to its end and dropped; past the drain limit, cut off). */
function readBody(request: IncomingMessage): Promise<string | null> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_QUOTE_REQUEST_BYTES) chunks.push(chunk);
      else if (size > DRAIN_LIMIT_BYTES) request.destroy();
    });
    request.on('end', () => resolve(size > MAX_QUOTE_REQUEST_BYTES ? null : Buffer.concat(chunks).toString('utf8')));
    request.on('close', () => resolve(size > MAX_QUOTE_REQUEST_BYTES ? null : Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

function reply(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'content-type': 'application/json', ...headers });
  response.end(JSON.stringify(body));
}
