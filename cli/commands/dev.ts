import { rmSync } from 'node:fs';
import type { ProvingRun } from '../../core/ports/provingRun.js';
import { devnetOptionsSchema, DEFAULT_DEVNET_OPTIONS, type DevnetOptions } from '../../devnet/devnetOptions.js';
import { describeRunChange, renderFrame, type DevnetSnapshot } from '../../devnet/liveView.js';
import { startDevnet, type Devnet } from '../../devnet/startDevnet.js';
import type { CliOutput } from '../output.js';
import { formatTable } from '../output.js';
import { integerFlag, numberFlag, parseFlags } from '../parseFlags.js';
import { UsageError } from '../usageError.js';

export const devUsage = `prover-burst dev [--blocks N] [--txs N] [--public-calls SPEC] [--profile NAME] [--time-scale X]
                 [--agents heavy=4,light=8] [--data-dir DIR] [--json] [--port P] [--slot-seconds S] [--fresh]
  Runs the devnet: a local L1 (hardhat node) with the reference contracts, simulated Fernet sequencers, our
  firm and a rival firm, proving blocks end to end with a SIMULATED prover backend.
  --blocks N       exit 0 once N of our blocks are proven on L1 (default: run until Ctrl-C)
  --txs N          txs per block (default ${DEFAULT_DEVNET_OPTIONS.txs})
  --public-calls   calls per tx: a count or a distribution (default ${DEFAULT_DEVNET_OPTIONS.publicCalls})
  --profile        rfp-2023 (default) or aztec-v5
  --time-scale X   a proof takes its expected duration × X (default ${DEFAULT_DEVNET_OPTIONS.timeScale})
  --agents         our local agents per tier (default heavy=4,light=8)
  --data-dir DIR   where the L1 details, job stores and proofs live (default ${DEFAULT_DEVNET_OPTIONS.dataDir});
                   restarting with the same directory resumes
  --port P         the L1 JSON-RPC port (default ${DEFAULT_DEVNET_OPTIONS.port}; 0 picks a free one)
  --slot-seconds S L1 slot length; phases, exclusive window and deadline scale with it (default 12:
                   4+4+4 s phases, 45 s window, 120 s deadline)
  --fresh          forget the data directory first
  --json           print one JSON summary at the end instead of the live view`;

const SIMULATED_NOTE =
  'prover backend: SIMULATED — proofs are digests of their inputs; the root proof is an ECDSA attestation that only the DevelopmentAttestationVerifier accepts (not a ZK proof)';

/** `prover-burst dev`: the devnet, with a live view and a summary. */
export async function devCommand(args: string[], io: CliOutput): Promise<number> {
  const options = readOptions(args);
  if (options.fresh) rmSync(options.dataDir, { recursive: true, force: true });
  const stop = new AbortController();
  const onSignal = () => stop.abort(new Error('interrupted'));
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  let devnet: Devnet | undefined;
  try {
    devnet = await startDevnet(options);
    const view = startView(devnet, options, io, stop.signal);
    let exitCode = 0;
    try {
      if (options.blocks !== null) await devnet.waitForOurBlocks(options.blocks, stop.signal);
      else await new Promise((resolve) => stop.signal.addEventListener('abort', resolve, { once: true }));
    } catch (error) {
      if (!stop.signal.aborted) throw error;
      exitCode = 130;
    }
    await view.stop();
    const summary = await summarize(devnet, options);
    if (options.json) io.out(JSON.stringify(summary));
    else printSummary(summary, io);
    return exitCode;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await devnet?.stop();
  }
}

function readOptions(args: string[]): DevnetOptions & { fresh: boolean } {
  const flags = parseFlags('dev', args, {
    blocks: { type: 'string' },
    txs: { type: 'string' },
    'public-calls': { type: 'string' },
    profile: { type: 'string' },
    'time-scale': { type: 'string' },
    agents: { type: 'string' },
    'data-dir': { type: 'string' },
    json: { type: 'boolean', default: false },
    port: { type: 'string' },
    'slot-seconds': { type: 'string' },
    fresh: { type: 'boolean', default: false },
  });
  const d = DEFAULT_DEVNET_OPTIONS;
  const parsed = devnetOptionsSchema.safeParse({
    ...d,
    blocks: flags.blocks === undefined ? null : integerFlag('blocks', flags.blocks, 1),
    txs: integerFlag('txs', flags.txs, d.txs),
    publicCalls: flags['public-calls'] ?? d.publicCalls,
    profile: flags.profile ?? d.profile,
    timeScale: numberFlag('time-scale', flags['time-scale'], d.timeScale),
    agents: flags.agents === undefined ? d.agents : parseAgents(flags.agents),
    dataDir: flags['data-dir'] ?? d.dataDir,
    json: flags.json,
    port: integerFlag('port', flags.port, d.port, 0),
    slotSeconds: integerFlag('slot-seconds', flags['slot-seconds'], d.slotSeconds, 3),
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new UsageError(`dev: --${issue.path.join('.')}: ${issue.message}`);
  }
  return { ...parsed.data, fresh: flags.fresh };
}

/** `heavy=4,light=8` → { heavy: 4, light: 8 }. */
export function parseAgents(spec: string): DevnetOptions['agents'] {
  const counts: Record<string, number> = {};
  for (const part of spec.split(',')) {
    const match = /^\s*(heavy|light)\s*=\s*(\d+)\s*$/.exec(part);
    if (!match) throw new UsageError(`--agents must look like heavy=4,light=8, got "${spec}"`);
    counts[match[1]!] = Number(match[2]);
  }
  return { heavy: counts.heavy ?? DEFAULT_DEVNET_OPTIONS.agents.heavy, light: counts.light ?? DEFAULT_DEVNET_OPTIONS.agents.light };
}

/** The live view on a terminal, plain lines otherwise, nothing with --json. */
function startView(devnet: Devnet, options: DevnetOptions, io: CliOutput, stop: AbortSignal) {
  const tty = process.stdout.isTTY && !options.json;
  const seen = new Map<string, string>();
  let drawn = 0;
  const header = `prover-burst devnet · L1 ${devnet.rpcUrl} · rollup ${devnet.rollup}${devnet.resumed ? ' · RESUMED' : ''}`;
  if (!options.json) {
    // On a terminal the header is the first line of every frame.
    if (!tty) io.out(header);
    io.out(SIMULATED_NOTE);
    io.out(`logs: ${devnet.logFile}`);
  }
  const tick = async () => {
    const runs = await devnet.ours.runs();
    if (options.json) return;
    if (!tty) {
      for (const run of [...runs].reverse()) {
        const key = `${run.state}:${run.l1TxHash}`;
        if (seen.get(run.runId) === key) continue;
        seen.set(run.runId, key);
        io.out(describeRunChange(run, options.timeScale));
      }
      return;
    }
    const snapshot = await snapshotOf(devnet, runs, options, header);
    const lines = renderFrame(snapshot, process.stdout.columns ?? 120);
    process.stdout.write(`${drawn > 0 ? `\u001b[${drawn}F` : ''}${lines.map((line) => `${line}\u001b[K`).join('\n')}\n`);
    drawn = lines.length;
  };
  const timer = setInterval(() => void tick().catch(() => undefined), tty ? 250 : 500);
  return {
    async stop() {
      clearInterval(timer);
      if (!stop.aborted) await tick().catch(() => undefined);
    },
  };
}

async function snapshotOf(devnet: Devnet, runs: ProvingRun[], options: DevnetOptions, header: string): Promise<DevnetSnapshot> {
  const now = Date.now();
  const firms = await Promise.all(
    [devnet.ours, devnet.rival].map(async (firm, i) => ({
      name: i === 0 ? 'our firm' : 'rival',
      proverId: firm.proverId,
      paused: firm.paused,
      agents: {
        heavy: { running: (await firm.pool.count('heavy')).running, busy: firm.pool.busy('heavy'), max: (i === 0 ? options.agents : options.rivalAgents).heavy },
        light: { running: (await firm.pool.count('light')).running, busy: firm.pool.busy('light'), max: (i === 0 ? options.agents : options.rivalAgents).light },
      },
    })),
  );
  const settled = runs.filter((run) => run.state === 'settled').length;
  const abandoned = runs.filter((run) => run.state === 'abandoned').length;
  const rivalProven = (await devnet.rival.runs()).filter((run) => run.state === 'settled').length;
  return {
    header: `${header} · ${options.profile} · ${options.txs} txs/block · time scale ${options.timeScale} · SIMULATED prover`,
    firms,
    runs: runs.map((run) => ({ run, progress: devnet.progress.of(run.runId), rate: devnet.progress.rate(run.runId, now) })),
    timeScale: options.timeScale,
    now,
    footer: `proven on L1 by us: ${settled}${options.blocks ? `/${options.blocks}` : ''} · by the rival: ${rivalProven} · abandoned: ${abandoned} · Ctrl-C stops everything`,
  };
}

interface DevnetSummary {
  readonly blocks: {
    readonly number: number;
    readonly txs: number;
    readonly jobs: number;
    readonly makespanMs: number;
    readonly criticalPathMs: number;
    readonly proverId: string;
    readonly l1TxHash: string;
  }[];
  readonly abandoned: { readonly number: number; readonly reason: string }[];
  readonly rivalProven: number[];
  readonly profile: string;
  readonly timeScale: number;
  readonly proverBackend: 'simulated';
  readonly l1: { readonly rpcUrl: string; readonly rollup: string };
  /** True when this run picked up the L1 and firm state an earlier devnet left in the data directory. */
  readonly resumed: boolean;
}

async function summarize(devnet: Devnet, options: DevnetOptions): Promise<DevnetSummary> {
  const runs = (await devnet.ours.runs()).sort((a, b) => (a.blockNumber < b.blockNumber ? -1 : 1));
  const proven = runs.filter((run) => run.state === 'settled');
  return {
    blocks: (options.blocks === null ? proven : proven.slice(0, options.blocks)).map((run) => ({
      number: Number(run.blockNumber),
      txs: run.txCount,
      jobs: run.jobCount,
      makespanMs: run.rootProvenAt - run.createdAt,
      criticalPathMs: Math.round(run.criticalPathSeconds * options.timeScale * 1000),
      proverId: run.proverId,
      l1TxHash: run.l1TxHash,
    })),
    abandoned: runs.filter((run) => run.state === 'abandoned').map((run) => ({ number: Number(run.blockNumber), reason: run.stateReason })),
    rivalProven: (await devnet.rival.runs()).filter((run) => run.state === 'settled').map((run) => Number(run.blockNumber)),
    profile: options.profile,
    timeScale: options.timeScale,
    proverBackend: 'simulated',
    l1: { rpcUrl: devnet.rpcUrl, rollup: devnet.rollup },
    resumed: devnet.resumed,
  };
}

function printSummary(summary: DevnetSummary, io: CliOutput): void {
  io.out('');
  io.out(`our blocks proven on L1 (${summary.proverBackend} prover, time scale ${summary.timeScale}):`);
  const rows: (string | number)[][] = [['block', 'txs', 'jobs', 'plan→root ms', 'critical path ms', 'L1 tx']];
  for (const block of summary.blocks) rows.push([block.number, block.txs, block.jobs, block.makespanMs, block.criticalPathMs, block.l1TxHash]);
  for (const line of formatTable(rows)) io.out(`  ${line}`);
  for (const block of summary.abandoned) io.out(`  block ${block.number} abandoned: ${block.reason}`);
  if (summary.rivalProven.length > 0) io.out(`  the rival proved blocks ${summary.rivalProven.join(', ')}`);
}

