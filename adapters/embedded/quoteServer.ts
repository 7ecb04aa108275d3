import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../../core/ports/logger.js';
import { quoteRequestSchema, signedQuoteToWire, type QuoteRequest } from '../../core/protocol/quoteRequest.js';
import type { QuoteAnswer } from '../../core/quote/answerQuoteRequest.js';

export interface QuoteServer {
  readonly url: string;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 16 * 1024;

/**
 * The firm's quote endpoint on 127.0.0.1: `POST /quote` with a QuoteRequest → 200 and a signed quote, 422 with the
 * reason when the firm declines, 400 for a malformed request; `GET /health` → 200.
 */
export function startQuoteServer(options: {
  readonly port: number;
  readonly answer: (request: QuoteRequest) => Promise<QuoteAnswer>;
  readonly log: Logger;
}): Promise<QuoteServer> {
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
  options: { readonly answer: (request: QuoteRequest) => Promise<QuoteAnswer> },
): Promise<void> {
  if (request.method === 'GET' && request.url === '/health') return reply(response, 200, { ok: true });
  if (request.method !== 'POST' || request.url !== '/quote') return reply(response, 404, { error: 'POST /quote or GET /health' });
  const text = await readBody(request);
  if (text === null) return reply(response, 413, { error: `request body over ${MAX_BODY_BYTES} bytes` });
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return reply(response, 400, { error: 'request body is not JSON' });
  }
  const parsed = quoteRequestSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return reply(response, 400, { error: `invalid quote request at ${issue.path.join('.') || '<root>'}: ${issue.message}` });
  }
  const answer = await options.answer(parsed.data);
  if ('refused' in answer) return reply(response, 422, { error: answer.refused });
  return reply(response, 200, signedQuoteToWire(answer.quote));
}

function readBody(request: IncomingMessage): Promise<string | null> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
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
