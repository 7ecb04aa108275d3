import { signedQuoteToWire, type QuoteRequest } from '../../core/protocol/quoteRequest.js';
import type { QuoteAnswer } from '../../core/quote/answerQuoteRequest.js';
import type { QuoteRequestAuthentication } from '../../core/quote/authenticateQuoteRequest.js';
import { signedQuoteRequestSchema, type SignedQuoteRequest } from '../../core/quote/quoteRequestSignature.js';
import { UnrevealedBlockError } from '../../core/errors/body.js';
import { RevealNotFoundError } from '../../l1/errors/l1Errors.js';

export interface HttpAnswer {
  readonly status: number;
  readonly body: unknown;
}

/** What the quote endpoint reads of an HTTP request. */
export interface HttpRequest {
  readonly method: string;
  readonly path: string;
  /** The Content-Type header, if any. */
  readonly contentType: string | undefined;
  readonly body: string;
}

/** A signed quote request is a few hundred bytes; anything near this is not one. */
export const MAX_QUOTE_REQUEST_BYTES = 16 * 1024;

/** Integers a request carries as decimal strings are uint256 on L1. */
const UINT256_MAX = 2n ** 256n - 1n;

export interface QuoteEndpoint {
  /** Admits the request only from a staked sequencer, once, within its allowance (authenticateQuoteRequest). */
  readonly authenticate: (signed: SignedQuoteRequest) => Promise<QuoteRequestAuthentication>;
  /** The firm's answer to an admitted request. */
  readonly answer: (request: QuoteRequest) => Promise<QuoteAnswer>;
}

/**
 * The quote endpoint's HTTP contract, shared by the local server and the Lambda behind API Gateway or a function URL:
 * `POST /quote` with a signed quote request (signedQuoteRequestSchema) → 200 and the signed quote; 422 with the reason
 * when the firm declines; 400 malformed or a number out of range; 401 unsigned, badly signed or expired; 403 not a
 * staked sequencer; 404 a block with no reveal (and any other path); 405 another method on /quote; 409 a replayed
 * nonce; 413 over 16 KiB; 415 a body that is not `application/json`; 429 over the sequencer's allowance.
 * `GET /health` → 200.
 */
export async function routeQuoteRequest(request: HttpRequest, endpoint: QuoteEndpoint): Promise<HttpAnswer> {
  const { method, path } = request;
  if (method === 'GET' && path === '/health') return { status: 200, body: { ok: true } };
  if (path !== '/quote') return { status: 404, body: { error: 'POST /quote or GET /health' } };
  if (method !== 'POST') return { status: 405, body: { error: `${method} /quote: only POST` } };
  if (Buffer.byteLength(request.body, 'utf8') > MAX_QUOTE_REQUEST_BYTES) return { status: 413, body: { error: `request body over ${MAX_QUOTE_REQUEST_BYTES} bytes` } };
  const mediaType = request.contentType?.split(';')[0]!.trim().toLowerCase();
  if (mediaType !== 'application/json') {
    return { status: 415, body: { error: `content-type must be application/json, got ${request.contentType === undefined ? 'none' : `"${request.contentType}"`}` } };
  }
  let json: unknown;
  try {
    json = JSON.parse(request.body);
  } catch {
    return { status: 400, body: { error: 'request body is not JSON' } };
  }
  if (typeof json === 'object' && json !== null && !('signature' in json)) {
    return { status: 401, body: { error: 'unsigned request: sign it as a staked sequencer (EIP-712 QuoteRequest) and send {request, sequencer, nonce, expiresAt, signature}' } };
  }
  const parsed = signedQuoteRequestSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return { status: 400, body: { error: `invalid quote request at ${issue.path.join('.') || '<root>'}: ${issue.message}` } };
  }
  const outOfRange = Object.entries(parsed.data.request).find(([, value]) => typeof value === 'string' && /^\d+$/.test(value) && BigInt(value) > UINT256_MAX);
  if (outOfRange) return { status: 400, body: { error: `request.${outOfRange[0]} is out of range: at most 2^256 − 1, got ${String(outOfRange[1])}` } };
  const authenticated = await endpoint.authenticate(parsed.data);
  if (!authenticated.admitted) return { status: authenticated.refusal.status, body: { error: authenticated.refusal.why, refused: authenticated.refusal.kind } };
  let answered: QuoteAnswer;
  try {
    answered = await endpoint.answer(authenticated.request);
  } catch (error) {
    if (error instanceof RevealNotFoundError || error instanceof UnrevealedBlockError) return { status: 404, body: { error: `block ${authenticated.request.blockNumber} has not been revealed` } };
    throw error;
  }
  if ('refused' in answered) return { status: 422, body: { error: answered.refused, reason: answered.reason } };
  return { status: 200, body: signedQuoteToWire(answered.quote) };
}
