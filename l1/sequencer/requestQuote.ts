import { signedQuoteFromWire, signedQuoteSchema } from '../../core/protocol/quoteRequest.js';
import type { SignedQuoteRequest } from '../../core/quote/quoteRequestSignature.js';
import type { SignedQuote } from '../../core/protocol/types.js';
import { QuoteRequestError } from '../errors/l1Errors.js';

/** Asks one prover endpoint for a quote: `POST {endpoint}/quote` with the signed request as JSON, a SignedQuoteWire back. */
export async function requestQuote(endpoint: string, request: SignedQuoteRequest, timeoutMs: number): Promise<SignedQuote> {
  let response: Response;
  try {
    response = await fetch(`${endpoint.replace(/\/$/, '')}/quote`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(request),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    const reason = (error as Error).name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : (error as Error).message;
    throw new QuoteRequestError(endpoint, reason);
  }
  if (!response.ok) {
    const why = ((await response.json().catch(() => ({}))) as { error?: unknown }).error;
    throw new QuoteRequestError(endpoint, `HTTP ${response.status}${typeof why === 'string' ? `: ${why}` : ''}`);
  }
  const parsed = signedQuoteSchema.safeParse(await response.json().catch(() => undefined));
  if (!parsed.success) throw new QuoteRequestError(endpoint, `not a signed quote: ${parsed.error.issues[0]?.message ?? ''}`);
  return signedQuoteFromWire(parsed.data);
}
