import { quoteRequestSchema, signedQuoteToWire, type QuoteRequest } from '../../core/protocol/quoteRequest.js';
import type { QuoteAnswer } from '../../core/quote/answerQuoteRequest.js';

export interface HttpAnswer {
  readonly status: number;
  readonly body: unknown;
}

/**
 * The quote endpoint's HTTP contract, shared by the local server and the Lambda function URL: `POST /quote` with a
 * QuoteRequest → 200 and the signed quote, 422 with the reason when the firm declines, 400 for a malformed request;
 * `GET /health` → 200.
 */
export async function routeQuoteRequest(
  method: string,
  path: string,
  body: string,
  answer: (request: QuoteRequest) => Promise<QuoteAnswer>,
): Promise<HttpAnswer> {
  if (method === 'GET' && path === '/health') return { status: 200, body: { ok: true } };
  if (method !== 'POST' || path !== '/quote') return { status: 404, body: { error: 'POST /quote or GET /health' } };
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return { status: 400, body: { error: 'request body is not JSON' } };
  }
  const parsed = quoteRequestSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return { status: 400, body: { error: `invalid quote request at ${issue.path.join('.') || '<root>'}: ${issue.message}` } };
  }
  const answered = await answer(parsed.data);
  if ('refused' in answered) return { status: 422, body: { error: answered.refused } };
  return { status: 200, body: signedQuoteToWire(answered.quote) };
}
