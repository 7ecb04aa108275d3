import { privateKeyToAccount } from 'viem/accounts';
import { describe, expect, it } from 'vitest';
import { createMemoryQuoteRequestLedger } from '../../adapters/embedded/memoryQuoteRequestLedger.js';
import type { LedgerEntry, QuoteRequestLedger } from '../ports/quoteRequests.js';
import type { QuoteRequest } from '../protocol/quoteRequest.js';
import type { Address } from '../protocol/types.js';
import { authenticateQuoteRequest, type QuoteRequestPolicy } from './authenticateQuoteRequest.js';
import { QUOTE_REQUEST_EIP712_TYPES, quoteRequestDomain, quoteRequestMessage, signedQuoteRequestSchema, type SignedQuoteRequest } from './quoteRequestSignature.js';

// Test keys: a staked sequencer and someone else.
const SEQUENCER = privateKeyToAccount(`0x${'01'.repeat(32)}`);
const STRANGER = privateKeyToAccount(`0x${'02'.repeat(32)}`);
const CHAIN_ID = 31_337;
const ROLLUP: Address = '0x5fbdb2315678afecb367f032d93f642f64180aa3';
const OTHER_ROLLUP: Address = `0x${'99'.repeat(20)}`;
const NOW = 1_700_000_000;
const NONCE = `0x${'11'.repeat(32)}`;
const request: QuoteRequest = {
  blockNumber: '7',
  slot: '12',
  bodyHash: `0x${'ab'.repeat(32)}`,
  txCount: 32,
  publicCalls: 64,
  revealedAt: NOW - 12,
  provingDeadline: NOW + 600,
};

async function sign(
  signer = SEQUENCER,
  { expiresAt = NOW + 60, nonce = NONCE, chainId = CHAIN_ID, rollup = ROLLUP }: { expiresAt?: number; nonce?: string; chainId?: number; rollup?: Address } = {},
): Promise<SignedQuoteRequest> {
  const signature = await signer.signTypedData({
    domain: quoteRequestDomain(chainId, rollup),
    types: QUOTE_REQUEST_EIP712_TYPES,
    primaryType: 'QuoteRequest',
    message: quoteRequestMessage(request, nonce, expiresAt),
  });
  return { request, sequencer: signer.address, nonce, expiresAt, signature };
}

/** The checks' dependencies: L1 stakes only the sequencer; the ledger records what it is asked. */
function world(ledger: QuoteRequestLedger = createMemoryQuoteRequestLedger()) {
  const asked: LedgerEntry[] = [];
  const stakesAsked: Address[] = [];
  const deps = {
    chainId: CHAIN_ID,
    rollup: ROLLUP,
    nowSeconds: NOW,
    stakes: { isActiveSequencer: async (address: Address) => (stakesAsked.push(address), address.toLowerCase() === SEQUENCER.address.toLowerCase()) },
    ledger: { admit: (entry: LedgerEntry) => (asked.push(entry), ledger.admit(entry)) },
  };
  return { deps, asked, stakesAsked };
}

const policy: QuoteRequestPolicy = { maxValiditySeconds: 120, perSequencerLimit: 2, windowSeconds: 60 };

describe('authenticateQuoteRequest', () => {
  it('admits a request signed by the staked sequencer it names, and records its nonce (lower case) and allowance', async () => {
    const { deps, asked } = world();
    const signed = await sign(SEQUENCER, { nonce: `0x${'AB'.repeat(32)}` });
    expect(await authenticateQuoteRequest(signed, deps, policy)).toEqual({ admitted: true, request, sequencer: SEQUENCER.address });
    expect(asked).toEqual([{ sequencer: SEQUENCER.address, nonce: `0x${'ab'.repeat(32)}`, expiresAt: NOW + 60, nowSeconds: NOW, limit: 2, windowSeconds: 60 }]);
  });

  it('refuses an expired request (at its expiry) and one valid for longer than the policy allows, before any L1 read', async () => {
    const { deps, asked, stakesAsked } = world();
    const expired = await authenticateQuoteRequest(await sign(SEQUENCER, { expiresAt: NOW }), deps, policy);
    expect(expired).toEqual({
      admitted: false,
      refusal: { kind: 'expired', status: 401, why: `the request expired at ${NOW}; L1 time is ${NOW}` },
    });
    expect(await authenticateQuoteRequest(await sign(SEQUENCER, { expiresAt: NOW + 1 }), deps, policy)).toMatchObject({ admitted: true });
    expect(await authenticateQuoteRequest(await sign(SEQUENCER, { expiresAt: NOW + 120, nonce: `0x${'22'.repeat(32)}` }), deps, policy)).toMatchObject({
      admitted: true,
    });
    const tooLong = await authenticateQuoteRequest(await sign(SEQUENCER, { expiresAt: NOW + 121 }), deps, policy);
    expect(tooLong).toEqual({
      admitted: false,
      refusal: { kind: 'expired', status: 401, why: `the request is valid until ${NOW + 121}, more than 120 s after L1 time ${NOW}` },
    });
    expect(stakesAsked).toHaveLength(2);
    expect(asked).toHaveLength(2);
  });

  it('allows two minutes of validity by default', async () => {
    const { deps } = world();
    expect(await authenticateQuoteRequest(await sign(SEQUENCER, { expiresAt: NOW + 120 }), deps)).toMatchObject({ admitted: true });
    expect(await authenticateQuoteRequest(await sign(SEQUENCER, { expiresAt: NOW + 121 }), deps)).toMatchObject({ admitted: false, refusal: { kind: 'expired' } });
  });

  it('refuses a request signed by someone other than the sequencer it names, or for another rollup or chain', async () => {
    const { deps, stakesAsked } = world();
    const forged = { ...(await sign(STRANGER)), sequencer: SEQUENCER.address };
    const refusal = await authenticateQuoteRequest(forged, deps, policy);
    expect(refusal).toEqual({
      admitted: false,
      refusal: {
        kind: 'bad-signature',
        status: 401,
        why: `the request names sequencer ${SEQUENCER.address} but is signed by ${STRANGER.address} (EIP-712 QuoteRequest, chain ${CHAIN_ID}, rollup ${ROLLUP})`,
      },
    });
    for (const other of [{ chainId: 1 }, { rollup: OTHER_ROLLUP }]) {
      expect(await authenticateQuoteRequest(await sign(SEQUENCER, other), deps, policy)).toMatchObject({ admitted: false, refusal: { kind: 'bad-signature' } });
    }
    expect(stakesAsked).toEqual([]);
  });

  it('compares the named sequencer case-insensitively', async () => {
    const { deps } = world();
    const signed = await sign();
    expect(await authenticateQuoteRequest({ ...signed, sequencer: signed.sequencer.toUpperCase().replace('0X', '0x') }, deps, policy)).toMatchObject({ admitted: true });
  });

  it('refuses a signature that does not recover, saying why in one line', async () => {
    const { deps } = world();
    const refusal = await authenticateQuoteRequest({ ...(await sign()), signature: `0x${'00'.repeat(65)}` }, deps, policy);
    expect(refusal).toMatchObject({ admitted: false, refusal: { kind: 'bad-signature', status: 401 } });
    if (!refusal.admitted) {
      expect(refusal.refusal.why).toMatch(/^the signature does not recover: \S/);
      expect(refusal.refusal.why).not.toContain('\n');
    }
  });

  it('refuses a validly signed request from a sequencer L1 does not hold as staked, without using the ledger', async () => {
    const { deps, asked } = world();
    expect(await authenticateQuoteRequest(await sign(STRANGER), deps, policy)).toEqual({
      admitted: false,
      refusal: { kind: 'not-staked', status: 403, why: `${STRANGER.address} is not an active staked sequencer of rollup ${ROLLUP}` },
    });
    expect(asked).toEqual([]);
  });

  it('refuses a replayed nonce (409) and a sequencer over its allowance (429)', async () => {
    const { deps } = world();
    const first = await sign();
    expect(await authenticateQuoteRequest(first, deps, policy)).toMatchObject({ admitted: true });
    expect(await authenticateQuoteRequest(first, deps, policy)).toEqual({
      admitted: false,
      refusal: { kind: 'replayed', status: 409, why: `nonce ${NONCE} of ${SEQUENCER.address} was used already` },
    });
    expect(await authenticateQuoteRequest(await sign(SEQUENCER, { nonce: `0x${'22'.repeat(32)}` }), deps, policy)).toMatchObject({ admitted: true });
    expect(await authenticateQuoteRequest(await sign(SEQUENCER, { nonce: `0x${'33'.repeat(32)}` }), deps, policy)).toEqual({
      admitted: false,
      refusal: { kind: 'throttled', status: 429, why: `${SEQUENCER.address} made more than 2 requests in 60 s` },
    });
  });
});

describe('signedQuoteRequestSchema', () => {
  it('takes a signed request off the wire and refuses malformed addresses, nonces, expiries and signatures', async () => {
    const signed = await sign();
    expect(signedQuoteRequestSchema.parse(signed)).toEqual(signed);
    for (const bad of [
      { sequencer: '0x1234' },
      { sequencer: `${signed.sequencer}00` },
      { nonce: `0x${'1'.repeat(63)}` },
      { nonce: `0x${'g'.repeat(64)}` },
      { expiresAt: -1 },
      { expiresAt: 1.5 },
      { signature: `0x${'0'.repeat(128)}` },
      { signature: `${signed.signature}ff` },
      { signature: `ff${signed.signature.slice(2)}` },
    ]) {
      expect(signedQuoteRequestSchema.safeParse({ ...signed, ...bad }).success, JSON.stringify(bad)).toBe(false);
    }
  });
});
