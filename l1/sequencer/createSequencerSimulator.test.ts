import { keccak256, parseEther } from 'viem';
import { rollupAbi } from '../../contracts/artifacts/rollup.js';
import { encodeBlockBody } from '../../core/body/encodeBlockBody.js';
import { syntheticBlockBody } from '../../core/body/syntheticBlockBody.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMemoryQuoteRequestLedger } from '../../adapters/embedded/memoryQuoteRequestLedger.js';
import { authenticateQuoteRequest } from '../../core/quote/authenticateQuoteRequest.js';
import { depositToEscrow } from '../escrow/escrowActions.js';
import { createSequencerStakes } from '../rollup/sequencerStakes.js';
import { startProtocolFixture, type ProtocolFixture } from '../testing/protocolFixture.js';
import { testBody } from '../testing/protocolSteps.js';
import { signingQuoter, startTestQuoteServer, type TestQuoteServer } from '../testing/startTestQuoteServer.js';
import { createSequencerSimulator, type CreateSequencerSimulatorParameters } from './createSequencerSimulator.js';
import type { SimulatorLogEntry } from './simulatorLog.js';

let f: ProtocolFixture;
let servers: TestQuoteServer[];
let logged: SimulatorLogEntry[];
const sequencers = () => [f.wallets[1]!, f.wallets[2]!, f.wallets[3]!];
const cheap = () => f.wallets[4]!;
const dear = () => f.wallets[5]!;

async function simulator(overrides: Partial<CreateSequencerSimulatorParameters> = {}) {
  const quoters = [
    signingQuoter(dear(), f.domain, f.parameters, { feeBps: 7_000, bond: parseEther('1.2') }),
    signingQuoter(cheap(), f.domain, f.parameters, { feeBps: 5_000, bond: parseEther('1.2') }),
    () => Promise.resolve({ status: 500 }),
    () => Promise.resolve('hang' as const),
    // Signed by a prover id other than the one it names.
    async (request: Parameters<ReturnType<typeof signingQuoter>>[0]) => {
      const answer = await signingQuoter(dear(), f.domain, f.parameters, { feeBps: 100, bond: parseEther('1.2') })(request);
      return answer === 'hang' ? answer : { ...answer, body: { ...(answer.body as object), proverId: cheap().account.address } };
    },
    // Correctly signed, but for another body than the one revealed (M1: it must never be committed).
    (request: Parameters<ReturnType<typeof signingQuoter>>[0]) =>
      signingQuoter(dear(), f.domain, f.parameters, { feeBps: 100, bond: parseEther('1.2') })({ ...request, bodyHash: keccak256('0x0bad') }),
  ];
  servers = await Promise.all(quoters.map((answer) => startTestQuoteServer(answer)));
  return createSequencerSimulator({
    publicClient: f.publicClient,
    sequencers: sequencers(),
    rollup: f.deployment.rollup,
    txsPerBlock: 16,
    publicCalls: '0:0.5,2:0.5',
    quoteEndpoints: servers.map((server) => server.url),
    log: (entry) => logged.push(entry),
    ...overrides,
  });
}

beforeEach(async () => {
  f = await startProtocolFixture();
  logged = [];
  await depositToEscrow(cheap(), f.deployment.escrow, parseEther('3'));
  await depositToEscrow(dear(), f.deployment.escrow, parseEther('3'));
  // The first signature in a process pays for curve precomputation; keep that out of the quote timeout.
  await Promise.all([cheap(), dear()].map((prover) => prover.signMessage({ message: 'warm up' })));
});

afterEach(async () => {
  await Promise.all(servers.map((server) => server.close()));
});

describe('createSequencerSimulator', () => {
  it('runs a slot end to end: the best revealed proposal wins and commits the cheapest valid quote', async () => {
    const sim = await simulator();
    await sim.registerSequencers();
    const report = await sim.runSlot(1n, { advanceTo: f.advanceTo });

    expect(report.proposals).toHaveLength(3);
    expect(report.revealed).toHaveLength(3);
    const best = [...report.proposals].sort((a, b) => (BigInt(b.score) > BigInt(a.score) ? 1 : -1))[0]!;
    expect(report.block).toMatchObject({ blockNumber: 1n, sequencer: best.sequencer, bodyHash: best.bodyHash, txCount: 16 });
    expect(report.commitment).toEqual({ endpoint: servers[1]!.url, proverId: cheap().account.address, feeBps: 5_000, bond: parseEther('1.2') });
    expect(report.quoteFailures.map((failure) => [failure.endpoint, failure.reason])).toEqual([
      [servers[2]!.url, `quote endpoint ${servers[2]!.url}: HTTP 500`],
      [servers[3]!.url, `quote endpoint ${servers[3]!.url}: no answer within 2000 ms`],
      [servers[4]!.url, 'the signature is not the prover id’s'],
      [servers[5]!.url, `quote is for body ${keccak256('0x0bad')}, not the revealed ${best.bodyHash}`],
    ]);
    expect(logged.filter((entry) => entry.event === 'quote not usable')).toHaveLength(4);

    const state = await f.rollupChain(f.wallets[0]!).blockState(1n);
    expect(state).toMatchObject({ committedProver: cheap().account.address, exclusiveUntil: f.schedule(1n).exclusiveUntil });
    const [request] = servers[0]!.requests;
    expect(request).toMatchObject({ blockNumber: '1', slot: '1', bodyHash: best.bodyHash, txCount: 16, provingDeadline: state.provingDeadline });
    expect(request!.publicCalls % 2).toBe(0);
    // Signed by the slot's winner, which L1 holds as a staked sequencer: a prover's endpoint admits it, once.
    const admit = () =>
      authenticateQuoteRequest(servers[0]!.signed[0]!, {
        chainId: f.publicClient.chain.id,
        rollup: f.deployment.rollup,
        nowSeconds: state.revealedAt,
        stakes: createSequencerStakes(f.publicClient, f.deployment.rollup),
        ledger,
      });
    const ledger = createMemoryQuoteRequestLedger();
    expect(await admit()).toMatchObject({ admitted: true, sequencer: state.sequencer });
    expect(await admit()).toMatchObject({ admitted: false, refusal: { kind: 'replayed', status: 409 } });
  });

  it('takes bodies from the hook and reveals only the chosen sequencers, logging the reveals that fail', async () => {
    const [a, b, c] = sequencers().map((wallet) => wallet.account.address);
    const oversized = testBody(1n, sequencers()[0]!, 65);
    const sim = await simulator({
      quoteEndpoints: [],
      bodyFor: (_, sequencer) => (sequencer === a ? oversized : undefined),
      reveals: (_, sequencer) => sequencer !== c,
    });
    await sim.registerSequencers();
    const report = await sim.runSlot(1n, { advanceTo: f.advanceTo });

    expect(report.proposals.find((proposal) => proposal.sequencer === a)?.bodyHash).toBe(keccak256(oversized));
    expect(report.revealed).toEqual([b]);
    expect(report.block?.sequencer).toBe(b);
    expect(logged).toContainEqual(expect.objectContaining({ event: 'reveal failed', sequencer: a, error: 'BodyTooLarge(2210, 2176)' }));
  });

  it('prunes a block left unproven past its deadline before proposing', async () => {
    const sim = await simulator({ quoteEndpoints: [] });
    await sim.registerSequencers();
    await sim.runSlot(1n, { advanceTo: f.advanceTo });
    const late = 4n;
    expect(f.schedule(late).start).toBeGreaterThan(f.schedule(1n).provingDeadline);
    const report = await sim.runSlot(late, { advanceTo: f.advanceTo });
    expect(report.pruned).toBe(true);
    expect(report.block?.blockNumber).toBe(1n);
    expect((await f.rollupChain(f.wallets[0]!).blockState(1n)).slot).toBe(late);
  });

  it('M3: prunes a provably malformed pending tip at once before proposing on it; its sequencer’s bond is burnt', async () => {
    const [a] = sequencers().map((wallet) => wallet.account.address);
    const [tx] = syntheticBlockBody({ txs: 1, publicCalls: { kind: 'fixed', calls: 0 }, seed: 'twice' }).txs;
    const malformed = encodeBlockBody({ txs: [tx!, tx!] });
    const sim = await simulator({ quoteEndpoints: [], bodyFor: (slot) => (slot === 1n ? malformed : undefined), reveals: (slot, s) => slot > 1n || s === a });
    await sim.registerSequencers();
    const first = await sim.runSlot(1n, { advanceTo: f.advanceTo });
    expect(first.block).toMatchObject({ blockNumber: 1n, sequencer: a, bodyHash: keccak256(malformed) });
    const stake = () => f.publicClient.readContract({ address: f.deployment.rollup, abi: rollupAbi, functionName: 'sequencerStake', args: [a!] });
    const staked = (await stake()).amount;

    const second = await sim.runSlot(2n, { advanceTo: f.advanceTo });
    expect(second.prunedMalformed).toEqual({ blockNumber: 1n, reason: expect.stringContaining('appears at index 0 and again at 1') as string });
    // The slot's block takes the pruned number, on genesis, long before block 1's deadline.
    expect(second.block?.blockNumber).toBe(1n);
    expect(await f.latestTimestamp()).toBeLessThan(f.schedule(1n).provingDeadline);
    expect((await stake()).amount).toBe(staked - f.parameters.sequencerBlockBond);
  });

  it('skips a slot whose proposal phase is already over', async () => {
    const sim = await simulator({ quoteEndpoints: [] });
    await f.advanceTo(f.schedule(1n).revealStart);
    expect(await sim.runSlot(1n, { advanceTo: f.advanceTo })).toMatchObject({ skipped: 'its proposal phase was over', proposals: [] });
  });
});
