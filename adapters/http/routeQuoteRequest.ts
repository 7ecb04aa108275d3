import { signedQuoteToWire, type QuoteRequest } from '../../core/protocol/quoteRequest.js';
import type { QuoteAnswer } from '../../core/quote/answerQuoteRequest.js';
import type { QuoteRequestAuthentication } from '../../core/quote/authenticateQuoteRequest.js';
import { signedQuoteRequestSchema, type SignedQuoteRequest } from '../../core/quote/quoteRequestSignature.js';

export interface HttpAnswer {
  readonly status: number;
  readonly body: unknown;
}

/** A signed quote request is a few hundred bytes; anything near this is not one. */
export const MAX_QUOTE_REQUEST_BYTES = 16 * 1024;

export interface QuoteEndpoint {
  /** Admits the request only from a staked sequencer, once, within its allowance (authenticateQuoteRequest). */
  readonly authenticate: (signed: SignedQuoteRequest) => Promise<QuoteRequestAuthentication>;
  /** The firm's answer to an admitted request. */
  readonly answer: (request: QuoteRequest) => Promise<QuoteAnswer>;
}

/**
 * The quote endpoint's HTTP contract, shared by the local server and the Lambda behind API Gateway or a function URL:
 * `POST /quote` with a signed quote request (signedQuoteRequestSchema) → 200 and the signed quote; 422 with the reason
 * when the firm declines; 400 malformed; 401 unsigned, badly signed or expired; 403 not a staked sequencer; 409 a
 * replayed nonce; 413 over 16 KiB; 429 over the sequencer's allowance. `GET /health` → 200.
 */
export async function routeQuoteRequest(method: string, path: string, body: string, endpoint: QuoteEndpoint): Promise<HttpAnswer> {
  if (method === 'GET' && path === '/health') return { status: 200, body: { ok: true } };
  if (method !== 'POST' || path !== '/quote') return { status: 404, body: { error: 'POST /quote or GET /health' } };
  if (Buffer.byteLength(body, 'utf8') > MAX_QUOTE_REQUEST_BYTES) return { status: 413, body: { error: `request body over ${MAX_QUOTE_REQUEST_BYTES} bytes` } };
  let json: unknown;
  try {
    json = JSON.parse(body);
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
  const authenticated = await endpoint.authenticate(parsed.data);
  if (!authenticated.admitted) return { status: authenticated.refusal.status, body: { error: authenticated.refusal.why, refused: authenticated.refusal.kind } };
  const answered = await endpoint.answer(authenticated.request);
  if ('refused' in answered) return { status: 422, body: { error: answered.refused } };
  return { status: 200, body: signedQuoteToWire(answered.quote) };
}
