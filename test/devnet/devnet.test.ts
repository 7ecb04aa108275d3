import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPublicClient, http, keccak256, type Hex } from 'viem';
import { afterEach, describe, expect, it } from 'vitest';
import { rollupAbi } from '../../contracts/artifacts/rollup.js';
import { encodeBlockBody } from '../../core/body/encodeBlockBody.js';
import { syntheticBlockBody } from '../../core/body/syntheticBlockBody.js';
import type { ProvingRun } from '../../core/ports/provingRun.js';
import { isRunning } from '../../adapters/host/processIdentity.js';
import { DataDirectoryInUseError } from '../../devnet/devnetErrors.js';
import { DEFAULT_DEVNET_OPTIONS, type DevnetOptions } from '../../devnet/devnetOptions.js';
import { startDevnet, type Devnet, type DevnetHooks } from '../../devnet/startDevnet.js';
import { localChain } from '../../l1/chain/localNetwork.js';
import { toRollupBlockState } from '../../l1/rollup/blockStateCodec.js';

/** Fast slots and short windows so a test sees several blocks within a minute. */
const FAST: Partial<DevnetHooks['protocol']> = { exclusiveWindowSeconds: 12, provingDeadlineSeconds: 24, escrowWithdrawalDelaySeconds: 60 };
/**
 * FAST, but a deadline that leaves the rival time to prove a block from scratch after our window: 12 s (FAST's) is
 * enough on an idle machine only, and a block pruned before the rival proves it can never be won.
 */
const RACE: Partial<DevnetHooks['protocol']> = { ...FAST, provingDeadlineSeconds: 120, escrowWithdrawalDelaySeconds: 240 };
/** A run our agents still have work on. */
const UNPROVEN_STATES: readonly string[] = ['planned', 'provisioning', 'proving'];

function options(overrides: Partial<DevnetOptions> = {}): DevnetOptions {
  return {
    ...DEFAULT_DEVNET_OPTIONS,
    txs: 16,
    publicCalls: '0:0.5,1:0.3,4:0.2',
    timeScale: 0.003,
    agents: { heavy: 2, light: 4 },
    rivalAgents: { heavy: 1, light: 2 },
    slotSeconds: 6,
    port: 0,
    dataDir: mkdtempSync(join(tmpdir(), 'pb-devnet-')),
    ...overrides,
  };
}

async function until<T>(read: () => Promise<T | undefined>, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

describe('the devnet', () => {
  let devnet: Devnet | undefined;
  let dataDir = '';
  afterEach(async () => {
    await devnet?.stop();
    devnet = undefined;
    rmSync(dataDir, { recursive: true, force: true });
  });

  const blockOnL1 = async (blockNumber: bigint) => {
    const client = createPublicClient({ chain: localChain(devnet!.rpcUrl), transport: http(devnet!.rpcUrl) });
    const state = toRollupBlockState(
      blockNumber,
      await client.readContract({ address: devnet!.rollup, abi: rollupAbi, functionName: 'blockState', args: [blockNumber] }),
    );
    return { ...state, client };
  };

  it('proves blocks end to end on the local L1 under our prover id', async () => {
    const opts = options();
    dataDir = opts.dataDir;
    devnet = await startDevnet(opts, { protocol: FAST });
    const proven = await devnet.waitForOurBlocks(2, AbortSignal.timeout(90_000));
    for (const run of proven) {
      expect(run).toMatchObject({ state: 'settled', proverId: devnet.ours.proverId, txCount: 16 });
      expect(run.l1TxHash).toMatch(/^0x[0-9a-f]{64}$/);
      const { status, provenBy, client } = await blockOnL1(run.blockNumber);
      expect([status, provenBy]).toEqual(['proven', devnet.ours.proverId]);
      expect((await client.getTransactionReceipt({ hash: run.l1TxHash as Hex })).status).toBe('success');
    }
  }, 120_000);

  it('prunes a provably malformed body at once (its sequencer’s bond burnt), refuses an oversized one with the reason, and keeps proving', async () => {
    let first: bigint | undefined;
    const oversized = encodeBlockBody(syntheticBlockBody({ txs: 24, publicCalls: { kind: 'fixed', calls: 0 }, seed: 'big' }));
    const [tx] = syntheticBlockBody({ txs: 1, publicCalls: { kind: 'fixed', calls: 0 }, seed: 'bad' }).txs;
    const malformed = encodeBlockBody({ txs: [tx!, tx!, tx!, tx!] });
    const opts = options({ maxTxs: 20 });
    dataDir = opts.dataDir;
    devnet = await startDevnet(opts, {
      protocol: FAST,
      bodyFor: (slot) => {
        first ??= slot;
        if (slot === first + 1n) return malformed;
        if (slot === first + 2n) return oversized;
        return undefined;
      },
    });
    const client = createPublicClient({ chain: localChain(devnet.rpcUrl), transport: http(devnet.rpcUrl) });
    const logs = { address: devnet.rollup, abi: rollupAbi, fromBlock: 0n, strict: true } as const;

    // The next slot's sequencers show the repeated tx hash on L1: the block goes at once, not at its deadline.
    const reveal = await until(
      async () => (await client.getContractEvents({ ...logs, eventName: 'BlockRevealed' })).find((log) => log.args.bodyHash === keccak256(malformed)),
      120_000,
      'the malformed body to be revealed',
    );
    const forfeit = await until(
      async () =>
        (await client.getContractEvents({ ...logs, eventName: 'SequencerBondForfeited' })).find(
          (log) => log.args.blockNumber === reveal.args.blockNumber && log.blockNumber > reveal.blockNumber,
        ),
      60_000,
      'the malformed block to be pruned',
    );
    const prunedAt = Number((await client.getBlock({ blockNumber: forfeit.blockNumber })).timestamp);
    expect(prunedAt).toBeLessThan(Number(reveal.args.provingDeadline));

    // Our planner may refuse the malformed body too, if it looks before the sequencers prune it.
    const refused = await until(
      async () => (await devnet!.ours.runs()).find((run) => run.stateReason.startsWith('refused body: BlockTooLargeError')),
      120_000,
      'the oversized body to be refused',
    );
    expect(refused.stateReason).toBe('refused body: BlockTooLargeError: block has 24 txs, more than the maximum of 20');
    // The oversized block is pruned at its deadline and the chain goes on from the last proven block.
    await until(
      async () => (await devnet!.ours.runs()).find((run) => run.state === 'settled' && run.createdAt > refused.createdAt),
      120_000,
      'a block proven after the bad ones',
    );
  }, 300_000);

  it("lets the rival win the open race when we are paused past our window, and slashes our bond", async () => {
    const opts = options();
    dataDir = opts.dataDir;
    devnet = await startDevnet(opts, { protocol: RACE });
    const ours = devnet.ours;
    // Pause on a block committed to us that our agents have not finished: once they are stopped, a run without its
    // root proof stays unproven by us. One whose root was proven before the pause took hold is ours; try the next.
    const provenBeforePause = new Set<string>();
    let committed: ProvingRun | undefined;
    while (!committed) {
      const candidate = await until(
        async () => (await ours.runs()).find((run) => run.reason === 'committed' && UNPROVEN_STATES.includes(run.state) && !provenBeforePause.has(run.runId)),
        180_000,
        'a block committed to us',
      );
      await ours.pause();
      const paused = (await ours.runs()).find((run) => run.runId === candidate.runId)!;
      if (UNPROVEN_STATES.includes(paused.state) && paused.rootDigest === '') committed = paused;
      else {
        provenBeforePause.add(candidate.runId);
        ours.resume();
      }
    }
    const rivalRun = await until(
      // The same body gives the same run id in both firms (a later block reusing the number would not).
      async () => (await devnet!.rival.runs()).find((run: ProvingRun) => run.runId === committed.runId && run.state === 'settled'),
      240_000,
      `the rival to prove block ${committed.blockNumber}`,
    );
    expect(rivalRun.reason).toBe('open-race');
    const { provenBy, client } = await blockOnL1(committed.blockNumber);
    expect(provenBy).toBe(devnet.rival.proverId);
    const slashes = await client.getContractEvents({ address: devnet.rollup, abi: rollupAbi, eventName: 'BondSlashed', fromBlock: 0n });
    expect(slashes.map((log) => (log.args as { blockNumber: bigint }).blockNumber)).toContain(committed.blockNumber);
    ours.resume();
    const abandoned = await until(
      async () => (await ours.runs()).find((run) => run.runId === committed.runId && run.state === 'abandoned'),
      120_000,
      'our run to be abandoned',
    );
    expect(abandoned.stateReason).toContain(`proven first by ${devnet.rival.proverId}`);
  }, 600_000);

  it('stops the L1 it started and releases its data directory when starting fails after the L1 is up', async () => {
    const opts = options();
    dataDir = opts.dataDir;
    // An exclusive window shorter than the commit phase is refused by the Rollup's constructor: the deployment fails.
    await expect(startDevnet(opts, { protocol: { exclusiveWindowSeconds: 1 } })).rejects.toThrow();
    const started = readFileSync(join(dataDir, 'devnet.log'), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as { message: string; pid?: number; startTicks?: number })
      .find((line) => line.message === 'started the L1 node');
    expect(started?.pid).toEqual(expect.any(Number));
    expect(isRunning({ pid: started!.pid!, ...(started!.startTicks === undefined ? {} : { startTicks: started!.startTicks }) })).toBe(false);
    expect(existsSync(join(dataDir, 'devnet.lock'))).toBe(false);
  }, 120_000);

  it('refuses a second devnet on the same data directory while the first runs, and lets it run on', async () => {
    const opts = options();
    dataDir = opts.dataDir;
    devnet = await startDevnet(opts, { protocol: FAST });
    await expect(startDevnet(opts, { protocol: FAST })).rejects.toThrow(DataDirectoryInUseError);
    await devnet.waitForOurBlocks(1, AbortSignal.timeout(90_000));
  }, 120_000);
});
