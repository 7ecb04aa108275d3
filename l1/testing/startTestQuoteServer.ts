import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { signedQuoteToWire, type QuoteRequest } from '../../core/protocol/quoteRequest.js';
import { signedQuoteRequestSchema, type SignedQuoteRequest } from '../../core/quote/quoteRequestSignature.js';
import type { Bytes32, ProtocolParameters } from '../../core/protocol/types.js';
import { signProverQuote, type QuoteDomain } from '../quotes/quoteSignatures.js';
import type { L1WalletClient } from '../transactions/l1Clients.js';

/** How a test quote endpoint answers: a status and JSON body, or never ('hang'). */
export type QuoteAnswer = { readonly status: number; readonly body?: unknown } | 'hang';

export interface TestQuoteServer {
  /** Base URL (`http://127.0.0.1:<port>`); quotes are served at `/quote`. */
  readonly url: string;
  /** Every request received, parsed. */
  readonly requests: readonly QuoteRequest[];
  /** The same requests as signed by the sequencer. */
  readonly signed: readonly SignedQuoteRequest[];
  close(): Promise<void>;
}

/** A quote endpoint on 127.0.0.1 (a free port) for tests. */
export async function startTestQuoteServer(answer: (request: QuoteRequest) => Promise<QuoteAnswer>): Promise<TestQuoteServer> {
  const requests: QuoteRequest[] = [];
  const signed: SignedQuoteRequest[] = [];
  const server = createServer((incoming, response) => {
    void readJson(incoming).then(async (json) => {
      const envelope = signedQuoteRequestSchema.parse(json);
      const { request } = envelope;
      signed.push(envelope);
      requests.push(request);
      const reply = await answer(request);
      if (reply === 'hang') return;
      response.writeHead(reply.status, { 'content-type': 'application/json' }).end(JSON.stringify(reply.body ?? {}));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    signed,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * Answers every request with a quote signed by `prover` for the requested block, slot and body (it checks nothing:
 * a stand-in for a firm's quote service), valid until the block's commit phase ends.
 */
export function signingQuoter(
  prover: L1WalletClient,
  domain: QuoteDomain,
  parameters: ProtocolParameters,
  terms: { readonly feeBps: number; readonly bond: bigint },
): (request: QuoteRequest) => Promise<QuoteAnswer> {
  return async (request) => {
    const commitEnd = request.provingDeadline - parameters.provingDeadlineSeconds + parameters.commitSeconds;
    const quote = await signProverQuote(prover, domain, {
      blockNumber: BigInt(request.blockNumber),
      slot: BigInt(request.slot),
      bodyHash: request.bodyHash as Bytes32,
      proverId: prover.account.address,
      validUntil: commitEnd,
      ...terms,
    });
    return { status: 200, body: signedQuoteToWire(quote) };
  };
}

async function readJson(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
}
