import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../../core/ports/logger.js';
import { MAX_QUOTE_REQUEST_BYTES, routeQuoteRequest, type QuoteEndpoint } from '../http/routeQuoteRequest.js';

export interface QuoteServer {
  readonly url: string;
  close(): Promise<void>;
}


/**
 * The firm's quote endpoint on 127.0.0.1, with routeQuoteRequest's HTTP contract: signed requests from staked
 * sequencers only; a body over 16 KiB is refused (413) before it is read to the end.
 */
export function startQuoteServer(options: QuoteEndpoint & { readonly port: number; readonly log: Logger }): Promise<QuoteServer> {
  const server = createServer((request, response) => {
    void route(request, response, options).catch((error: unknown) => {
      options.log.error('quote endpoint failed', { error: error instanceof Error ? error.message : String(error) });
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

async function route(
  request: IncomingMessage,
  response: ServerResponse,
  endpoint: QuoteEndpoint,
): Promise<void> {
  const text = request.method === 'POST' ? await readBody(request) : '';
  if (text === null) return reply(response, 413, { error: `request body over ${MAX_QUOTE_REQUEST_BYTES} bytes` });
  const { status, body } = await routeQuoteRequest(request.method ?? '', request.url ?? '', text, endpoint);
  reply(response, status, body);
}

function readBody(request: IncomingMessage): Promise<string | null> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_QUOTE_REQUEST_BYTES) {
        resolve(null);
        request.destroy();
      } else chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

function reply(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}
