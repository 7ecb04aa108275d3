import { constants } from 'node:os';
import type { ProvingRun } from '../../core/ports/provingRun.js';
import { toStorageError } from '../../adapters/host/storageErrors.js';
import type { NoirTreeSetup } from '../../adapters/provers/barretenberg/noirTreeSetup.js';
import { PROOF_SYSTEMS } from '../../l1/deploy/proofSystems.js';
import {
  devnetOptionsSchema,
  DEFAULT_DEVNET_OPTIONS,
  REAL_PROOF_AGENTS,
  REAL_PROOF_RIVAL_AGENTS,
  validateDevnetOptions,
  type DevnetOptions,
} from '../../devnet/devnetOptions.js';
import { createFrameWriter, describeRunChange, renderFrame, shortHash, wrapWords, type DevnetSnapshot } from '../../devnet/liveView.js';
import type { Devnet, DevnetEndpoints } from '../../devnet/startDevnet.js';
import type { CliOutput } from '../output.js';
import { formatTable } from '../output.js';
import { integerFlag, numberFlag, parseFlags, type CommandSpec } from '../parseFlags.js';
import { asUsage, UsageError } from '../usageError.js';

const d = DEFAULT_DEVNET_OPTIONS;

export const devSpec = {
  name: 'dev',
  summary:
    'Runs the devnet: a local L1 (hardhat node) with the reference contracts, simulated Fernet sequencers, our firm\nand a rival firm, proving blocks end to end with a SIMULATED prover backend (or for real: --prover barretenberg).\nOne devnet per data directory.',
  flags: {
    blocks: { type: 'string', value: 'N', help: 'exit 0 once N of our blocks are proven on L1', absent: 'run until Ctrl-C' },
    txs: { type: 'string', value: 'N', help: 'txs per block (1 to 61,440)', default: String(d.txs) },
    'public-calls': { type: 'string', value: 'SPEC', help: 'calls per tx: a count, or count:probability pairs summing to 1', default: d.publicCalls },
    profile: {
      type: 'string',
      value: 'NAME',
      help: 'circuit profile: rfp-2023, aztec-v5 or noir-tree (needs --prover barretenberg)',
      absent: `${d.profile}; noir-tree with --prover barretenberg`,
    },
    prover: {
      type: 'string',
      value: 'NAME',
      help: 'simulated, or barretenberg: real noir-tree proofs that L1 verifies (DEVELOPMENT SRS; docs/real-proofs.md)',
      default: d.prover,
    },
    'time-scale': { type: 'string', value: 'X', help: 'a SIMULATED proof takes its expected duration × X', absent: String(d.timeScale) },
    agents: {
      type: 'string',
      value: 'heavy=H,light=L',
      help: 'our local agents per tier',
      absent: `heavy=${d.agents.heavy},light=${d.agents.light}; heavy=${REAL_PROOF_AGENTS.heavy},light=${REAL_PROOF_AGENTS.light} with --prover barretenberg`,
    },
    'data-dir': { type: 'string', value: 'DIR', help: 'L1 details, job stores, artifacts, logs; reusing it resumes', default: d.dataDir },
    port: { type: 'string', value: 'P', help: 'the L1 JSON-RPC port on 127.0.0.1 (0: any free port)', default: String(d.port) },
    'slot-seconds': { type: 'string', value: 'S', help: 'slot length; phases, window, deadline scale with it (12: 4+4+4, 45, 120 s)', default: String(d.slotSeconds) },
    fresh: { type: 'boolean', help: 'delete everything in the data directory first (nothing else deletes it)' },
    json: { type: 'boolean', help: 'print one JSON summary at the end instead of the live view' },
  },
} as const satisfies CommandSpec;

const SIMULATED_NOTE =
  'prover backend: SIMULATED — proofs are digests of their inputs; the root proof is an ECDSA attestation that only the DevelopmentAttestationVerifier accepts (not a ZK proof)';
const BARRETENBERG_NOTES = [
  `prover backend: BARRETENBERG — real recursive UltraHonk proofs of the noir-tree circuits; L1 verifies each root with bb's generated verifier (proof system ${PROOF_SYSTEMS['noir-tree-honk-development-srs'].version})`,
  'SRS: DEVELOPMENT (τ = 2, known to everyone) — the proofs are real, but anyone could forge one; never on a chain with value',
];

/**
 * `prover-burst dev`: the devnet, with a live view and a summary. Ends on Ctrl-C (130; SIGTERM 143), on `--blocks` (0), or when
 * the devnet cannot go on (1: its L1 exited, a full disk); in every case the L1 is stopped with it.
 */
export async function devCommand(args: string[], io: CliOutput): Promise<number> {
  const options = readOptions(args);
  // The devnet's code (viem, LMDB, the contracts) loads once the options are known to be good: bad input fails fast.
  const { startDevnet } = await import('../../devnet/startDevnet.js');
  const noirTree = options.prover === 'barretenberg' ? await prepareRealProofs(io, options) : undefined;
  const interrupted = new AbortController();
  const crashed = new AbortController();
  const onSignal = (signal: NodeJS.Signals) => interrupted.abort(signal);
  // lmdb-js rejects a failed commit (a full disk) where nobody awaits it: shut down in order instead of crashing.
  // Its error may hold the cause in a promise (`commitError`), which says what failed: wait for it.
  const crash = (error: unknown) => {
    if (!crashed.signal.aborted) crashed.abort(toStorageError(error, options.dataDir, 'running the devnet'));
  };
  let lmdbFailed = false;
  const onCrash = (error: unknown) => {
    const cause = (error as { commitError?: unknown } | undefined)?.commitError;
    lmdbFailed ||= cause !== undefined;
    if (cause instanceof Promise) cause.then(() => crash(error), crash);
    else crash(error);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('unhandledRejection', onCrash);
  process.on('uncaughtException', onCrash);
  let devnet: Devnet | undefined;
  let outcome: { readonly exitCode: number } | { readonly error: unknown };
  const consoleError = console.error;
  try {
    devnet = await startDevnet(options, noirTree ? { noirTree } : {});
    const running = devnet;
    // lmdb-js dumps a failed write's error with console.error; it belongs in the log, stderr gets one line.
    console.error = (...parts: unknown[]) => running.log.warn('console.error', { text: parts.map(String).join(' ') });
    const ended = AbortSignal.any([interrupted.signal, crashed.signal, running.failure]);
    const view = startView(running, options, io);
    try {
      if (options.blocks !== null) await running.waitForOurBlocks(options.blocks, ended);
      else await new Promise((resolve) => ended.addEventListener('abort', resolve, { once: true }));
    } catch (error) {
      if (!ended.aborted) throw error;
    }
    await view.stop();
    const failure: unknown = crashed.signal.aborted ? crashed.signal.reason : running.failure.aborted ? running.failure.reason : undefined;
    // What was proven is worth printing even when the devnet failed; reading the stores may fail with it.
    const summary = await summarize(running, options).catch(() => undefined);
    if (summary && options.json) io.out(JSON.stringify(summary));
    else if (summary) printSummary(summary, io);
    // Interrupted: 128 + the signal's number, as a shell reports it (SIGINT 130, SIGTERM 143).
    const signal = interrupted.signal.aborted ? (interrupted.signal.reason as NodeJS.Signals) : undefined;
    outcome = failure !== undefined ? { error: failure } : { exitCode: signal ? 128 + constants.signals[signal] : 0 };
  } catch (error) {
    outcome = { error };
  }
  const stopError = await devnet?.stop().then(
    () => undefined,
    (error: unknown) => error,
  );
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
  process.off('unhandledRejection', onCrash);
  process.off('uncaughtException', onCrash);
  console.error = consoleError;
  // LMDB's C code prints `Write error: …` to stderr without ending the line: end it, so ours stands alone.
  if (lmdbFailed) io.err('');
  if ('error' in outcome) throw outcome.error;
  if (stopError !== undefined) throw toStorageError(stopError, options.dataDir, 'stopping the devnet');
  return outcome.exitCode;
}

function readOptions(args: string[]): DevnetOptions {
  const flags = parseFlags(devSpec, args);
  const real = flags.prover === 'barretenberg';
  if (real && flags.profile !== undefined && flags.profile !== 'noir-tree') {
    throw new UsageError(`dev: --prover barretenberg proves the noir-tree profile's real circuits, not ${flags.profile}`);
  }
  if (!real && flags.profile === 'noir-tree') throw new UsageError('dev: --profile noir-tree needs --prover barretenberg (real circuits)');
  if (real && flags['time-scale'] !== undefined) throw new UsageError('dev: --time-scale scales SIMULATED proofs; real ones take what they take');
  const parsed = devnetOptionsSchema.safeParse({
    ...d,
    blocks: flags.blocks === undefined ? null : integerFlag('blocks', flags.blocks, 1),
    txs: integerFlag('txs', flags.txs, d.txs),
    publicCalls: flags['public-calls'],
    profile: real ? 'noir-tree' : (flags.profile ?? d.profile),
    prover: flags.prover,
    // Real proofs take their own time: one wall second per expected second.
    timeScale: real ? 1 : numberFlag('time-scale', flags['time-scale'], d.timeScale),
    agents: flags.agents === undefined ? (real ? REAL_PROOF_AGENTS : d.agents) : parseAgents(flags.agents),
    ...(real ? { rivalAgents: REAL_PROOF_RIVAL_AGENTS } : {}),
    dataDir: flags['data-dir'],
    json: flags.json,
    port: integerFlag('port', flags.port, d.port, 0),
    slotSeconds: integerFlag('slot-seconds', flags['slot-seconds'], d.slotSeconds, 3),
    fresh: flags.fresh,
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new UsageError(`dev: --${issue.path.join('.')}: ${issue.message}`);
  }
  // The profile, the call distribution and the block size are checked here, before anything starts.
  asUsage(() => validateDevnetOptions(parsed.data));
  return parsed.data;
}

/** Makes the development SRS and builds the circuits before anything starts (minutes the first time, then cached). */
async function prepareRealProofs(io: CliOutput, options: DevnetOptions): Promise<NoirTreeSetup> {
  const [{ defaultCacheDirectory }, { prepareNoirTree }] = await Promise.all([
    import('../../adapters/provers/barretenberg/cacheDirectory.js'),
    import('../../adapters/provers/barretenberg/noirTreeSetup.js'),
  ]);
  const started = Date.now();
  const say = (message: string) => {
    if (!options.json) io.out(message);
  };
  const setup = await prepareNoirTree({ cacheDirectory: defaultCacheDirectory(), srs: 'development', log: say });
  say(`noir-tree circuits ready in ${((Date.now() - started) / 1000).toFixed(1)} s (${setup.circuits.directory})`);
  return setup;
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

/** The live view on a terminal, plain lines otherwise, nothing but the summary with --json. */
function startView(devnet: Devnet, options: DevnetOptions, io: CliOutput) {
  const tty = process.stdout.isTTY && !options.json;
  const { endpoints } = devnet;
  const archived = devnet.archived ? `moved the previous devnet's state to ${devnet.archived.to}: ${devnet.archived.reason}` : undefined;
  if (options.json) {
    if (archived) io.err(`prover-burst: ${archived}`);
    return { stop: async () => undefined };
  }
  const header = [
    `prover-burst devnet · L1 ${endpoints.l1Rpc} · rollup ${devnet.rollup}${devnet.resumed ? ' · RESUMED' : ''}`,
    `quote endpoints: ours ${endpoints.quotes.ours} · rival ${endpoints.quotes.rival}`,
    `data dir: ${endpoints.dataDir} · log: ${endpoints.log} · L1 log: ${endpoints.l1Log}`,
  ];
  if (!tty) for (const line of header) io.out(line);
  // On a terminal these lines stay above the live frames, wrapped to its width; in a log each is one line.
  const notes = options.prover === 'barretenberg' ? BARRETENBERG_NOTES : [SIMULATED_NOTE];
  for (const line of [...notes, ...(archived ? [archived] : [])]) {
    for (const part of tty ? wrapWords(line, process.stdout.columns ?? 80) : [line]) io.out(part);
  }
  const seen = new Map<string, string>();
  const frames = createFrameWriter((text) => process.stdout.write(text));
  const onResize = () => frames.resized();
  if (tty) process.stdout.on('resize', onResize);
  const tick = async () => {
    const runs = await devnet.ours.runs();
    if (!tty) {
      for (const run of [...runs].reverse()) {
        const key = `${run.state}:${run.l1TxHash}`;
        if (seen.get(run.runId) === key) continue;
        seen.set(run.runId, key);
        io.out(describeRunChange(run, options.timeScale));
      }
      return;
    }
    frames.draw(renderFrame(await snapshotOf(devnet, runs, options), process.stdout.columns ?? 80));
  };
  const timer = setInterval(() => void tick().catch(() => undefined), tty ? 250 : 500);
  return {
    async stop() {
      clearInterval(timer);
      process.stdout.off('resize', onResize);
      await tick().catch(() => undefined);
    },
  };
}

async function snapshotOf(devnet: Devnet, runs: ProvingRun[], options: DevnetOptions): Promise<DevnetSnapshot> {
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
  const { endpoints } = devnet;
  return {
    header: [
      `prover-burst devnet · ${
        options.prover === 'barretenberg' ? 'BARRETENBERG prover, DEVELOPMENT SRS' : 'SIMULATED prover'
      } · ${options.profile} · ${options.txs} txs/block${options.prover === 'barretenberg' ? '' : ` · time ×${options.timeScale}`}${devnet.resumed ? ' · RESUMED' : ''}`,
      `L1 ${endpoints.l1Rpc} · rollup ${devnet.rollup}`,
      `quotes: ours ${endpoints.quotes.ours} · rival ${endpoints.quotes.rival}`,
      `data: ${endpoints.dataDir} · log: ${endpoints.log}`,
    ],
    firms,
    runs: runs.map((run) => ({ run, progress: devnet.progress.of(run.runId), rate: devnet.progress.rate(run.runId, now) })),
    timeScale: options.timeScale,
    now,
    kinds: devnet.progress.byKind(),
    footer: `proven on L1: ours ${settled}${options.blocks ? `/${options.blocks}` : ''} · rival ${rivalProven} · abandoned ${abandoned} · Ctrl-C stops all`,
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
  /** Our firm's proofs by kind: how many, how long agents took, how large the proofs are. */
  readonly proofs: Readonly<Record<string, { readonly count: number; readonly meanMs: number; readonly maxMs: number; readonly bytes: number }>>;
  readonly profile: string;
  readonly timeScale: number;
  readonly proverBackend: DevnetOptions['prover'];
  readonly proofSystem: string;
  readonly l1: { readonly rpcUrl: string; readonly rollup: string };
  /** Where everything can be reached: the L1, both quote endpoints, the data directory and the logs. */
  readonly endpoints: DevnetEndpoints;
  /** True when this run picked up the L1 and firm state an earlier devnet left in the data directory. */
  readonly resumed: boolean;
  /** Where the state of an earlier devnet whose L1 was gone was moved, and why; null when nothing was moved. */
  readonly archived: { readonly to: string; readonly reason: string } | null;
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
    proofs: Object.fromEntries(
      Object.entries(devnet.progress.byKind()).map(([kind, stats]) => [
        kind,
        { count: stats.count, meanMs: Math.round(stats.totalMs / stats.count), maxMs: stats.maxMs, bytes: stats.bytes },
      ]),
    ),
    profile: options.profile,
    timeScale: options.timeScale,
    proverBackend: options.prover,
    proofSystem: devnet.proofSystem,
    l1: { rpcUrl: devnet.rpcUrl, rollup: devnet.rollup },
    endpoints: devnet.endpoints,
    resumed: devnet.resumed,
    archived: devnet.archived ?? null,
  };
}

/** The summary in one write, so a reader that goes away mid-summary (Ctrl-C through `| tee`) loses none of it. */
function printSummary(summary: DevnetSummary, io: CliOutput): void {
  const how =
    summary.proverBackend === 'barretenberg'
      ? `barretenberg prover, DEVELOPMENT SRS; verifier: ${summary.proofSystem}`
      : `${summary.proverBackend} prover, time scale ${summary.timeScale}`;
  const lines = ['', `our blocks proven on L1 (${how}):`];
  const rows: (string | number)[][] = [['block', 'txs', 'jobs', 'plan→root ms', 'critical path ms', 'L1 tx']];
  for (const block of summary.blocks) rows.push([block.number, block.txs, block.jobs, block.makespanMs, block.criticalPathMs, shortHash(block.l1TxHash)]);
  for (const line of formatTable(rows)) lines.push(`  ${line}`);
  for (const block of summary.abandoned) lines.push(`  block ${block.number} abandoned: ${block.reason}`);
  if (summary.rivalProven.length > 0) lines.push(`  the rival proved blocks ${summary.rivalProven.join(', ')}`);
  const kinds = Object.entries(summary.proofs);
  if (kinds.length > 0) {
    lines.push('our proofs by kind (agent time: checking the children, proving, checking the proof):');
    const byKind: (string | number)[][] = [['kind', 'proofs', 'mean s', 'max s', 'proof bytes']];
    for (const [kind, stats] of kinds) byKind.push([kind, stats.count, (stats.meanMs / 1000).toFixed(1), (stats.maxMs / 1000).toFixed(1), stats.bytes]);
    for (const line of formatTable(byKind)) lines.push(`  ${line}`);
  }
  io.out(lines.join('\n'));
}

