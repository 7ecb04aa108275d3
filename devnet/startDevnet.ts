import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { createPublicClient, createWalletClient, http, parseEther, type Address, type Hex } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { checkLmdbEnvironments, type LmdbEnvironment } from '../adapters/embedded/checkLmdbEnvironments.js';
import { LMDB_JOB_STORE_DATABASES } from '../adapters/embedded/lmdbJobStore.js';
import { openAppendLog, type AppendLog } from '../adapters/host/appendLog.js';
import { ensureDirectory } from '../adapters/host/ensureDirectory.js';
import { identityOf, isRunning } from '../adapters/host/processIdentity.js';
import { freeBytes, toStorageError } from '../adapters/host/storageErrors.js';
import { DEFAULT_AGENT_SETTINGS, type AgentSettings } from '../core/agent/agentSettings.js';
import type { AgentEvent } from '../core/agent/handleDelivery.js';
import { parseWithBigints, stringifyWithBigints } from '../core/json/bigintJson.js';
import type { Logger } from '../core/ports/logger.js';
import type { ProvingRun } from '../core/ports/provingRun.js';
import { DiskFullError } from '../core/errors/index.js';
import type { ProtocolParameters } from '../core/protocol/types.js';
import type { Tier } from '../core/tiers.js';
import { attachHardhatNode, startHardhatNode } from '../l1/chain/startHardhatNode.js';
import type { LocalChain } from '../l1/chain/localChainTypes.js';
import { LOCAL_ACCOUNT_KEYS } from '../l1/chain/localAccounts.js';
import { deployProtocol, type ProtocolDeployment } from '../l1/deploy/deployProtocol.js';
import { devnetParameters } from '../l1/deploy/devnetParameters.js';
import { depositToEscrow } from '../l1/escrow/escrowActions.js';
import { createSequencerSimulator, type SequencerSimulator } from '../l1/sequencer/createSequencerSimulator.js';
import { noirTreeRootVerifierAbi } from '../contracts/artifacts/noirTreeRootVerifier.js';
import { defaultCacheDirectory } from '../adapters/provers/barretenberg/cacheDirectory.js';
import { CircuitMismatchError } from '../adapters/provers/errors/proverErrors.js';
import { prepareNoirTree, type NoirTreeSetup } from '../adapters/provers/barretenberg/noirTreeSetup.js';
import type { ProofSystem } from '../l1/deploy/proofSystems.js';
import { archiveState, discardContents } from './archiveState.js';
import { LOCK_FILE, lockDataDirectory } from './dataDirectoryLock.js';
import { DevnetStateMismatchError, L1ExitedError, L1PortInUseError } from './devnetErrors.js';
import type { DevnetOptions } from './devnetOptions.js';
import { OUR_COST_MODEL, realProofTiming, RIVAL_COST_MODEL, slotTiming, validateDevnetOptions } from './devnetOptions.js';
import { createProgressTracker, type ProgressTracker } from './progressTracker.js';
import { startFirm, type Firm } from './startFirm.js';

/** The devnet's accounts: 0 deploys and governs, 1 is our firm, 2 the rival firm, 3 on are sequencers. */
const DEPLOYER = 0;
const OUR_PROVER = 1;
const RIVAL_PROVER = 2;
const FIRST_SEQUENCER = 3;
const ESCROW_DEPOSIT = parseEther('20');

/** What the devnet remembers in its data directory, so a restart finds its L1 and contracts again. */
interface DevnetState {
  readonly rpcUrl: string;
  /** The L1 node's process (`pid` and, where /proc exists, its start time). */
  readonly pid: number;
  readonly startTicks?: number;
  readonly deployment: ProtocolDeployment;
}

export interface DevnetHooks {
  /** Replaces a sequencer's body in a slot (tests reveal malformed or oversized bodies with it). */
  readonly bodyFor?: (slot: bigint, sequencer: Address) => Hex | undefined;
  /** Protocol parameters to set beyond the slot timing (tests shorten the windows). */
  readonly protocol?: Partial<ProtocolParameters>;
  /** The Barretenberg prover's SRS and circuits, if the caller prepared them (else prepared here, cached). */
  readonly noirTree?: NoirTreeSetup;
}

/** Where everything of a devnet can be reached. */
export interface DevnetEndpoints {
  readonly l1Rpc: string;
  /** Each firm's quote endpoint (`POST` a QuoteRequest). */
  readonly quotes: { readonly ours: string; readonly rival: string };
  readonly dataDir: string;
  readonly log: string;
  /** The L1 node's own output. */
  readonly l1Log: string;
}

export interface Devnet {
  readonly rpcUrl: string;
  readonly rollup: Address;
  readonly escrow: Address;
  /** True when this start picked up an L1 and firm state left by an earlier (killed) devnet. */
  readonly resumed: boolean;
  /** Set when the data directory held the state of an L1 that is gone: where that state was moved, and why. */
  readonly archived: { readonly to: string; readonly reason: string } | undefined;
  readonly endpoints: DevnetEndpoints;
  readonly ours: Firm;
  readonly rival: Firm;
  readonly sequencers: SequencerSimulator;
  readonly progress: ProgressTracker;
  readonly logFile: string;
  /** The proof system L1 verifies roots with. */
  readonly proofSystem: ProofSystem;
  /** Writes to `logFile`. */
  readonly log: Logger;
  /** Aborted, with the error as its reason, when the devnet cannot go on (its L1 exited, its disk is full). */
  readonly failure: AbortSignal;
  /** Resolves with our first `count` blocks proven on L1 (settled runs), or rejects when `signal` aborts. */
  waitForOurBlocks(count: number, signal: AbortSignal): Promise<ProvingRun[]>;
  /** Stops everything this devnet started, the L1 included, and releases the data directory. */
  stop(): Promise<void>;
}

/** Below this much free space the devnet does not start (a 64-tx block takes about 0.4 MB of stores and logs: 150 blocks). */
const MIN_FREE_BYTES = 64 * 2 ** 20;
/** devnet.log is rotated past this size (devnet.log.1 keeps the previous part). */
const LOG_ROTATE_BYTES = 16 * 2 ** 20;
const FIRMS = ['ours', 'rival'] as const;

/**
 * The whole system on one machine: a `hardhat node` L1 with the reference contracts, Fernet sequencers (the
 * simulator), our proving firm and a rival firm with another prover id, each an embedded orchestrator with local
 * agents running the SIMULATED prover backend, or Barretenberg proving noir-tree blocks for real against an L1 that
 * verifies them with the generated UltraHonk verifier (development SRS). State lives in `dataDir`, which one devnet
 * at a time may use (a lock); starting again while its L1 is still up (it outlives a killed devnet for a grace
 * period) resumes where the devnet stopped, and state whose L1 is gone is moved aside to `archive/`, never deleted
 * (only `fresh` deletes).
 * Anything that fails while starting stops what was started, the L1 included.
 */
export async function startDevnet(options: DevnetOptions, hooks: DevnetHooks = {}): Promise<Devnet> {
  validateDevnetOptions(options);
  const dataDir = options.dataDir;
  ensureDirectory(dataDir);
  const lock = lockDataDirectory(dataDir, new Date());
  const started = createStopList();
  started.push(() => lock.release());
  const failure = new AbortController();
  const fail = (error: unknown) => {
    if (!failure.signal.aborted) failure.abort(toStorageError(error, dataDir, 'running the devnet'));
  };
  try {
    if (options.fresh) discardContents(dataDir, [LOCK_FILE]);
    const free = freeBytes(dataDir);
    if (free !== undefined && free < MIN_FREE_BYTES) throw new DiskFullError(dataDir, `starting (the devnet needs ${MIN_FREE_BYTES / 2 ** 20} MiB)`, free);
    const logFile = join(dataDir, 'devnet.log');
    const logSink = openAppendLog(logFile, { rotateBytes: LOG_ROTATE_BYTES });
    started.push(() => logSink.close());
    const log = fileLogger(logSink, fail);
    const realProofs = options.prover === 'barretenberg';
    const proofSystem: ProofSystem = realProofs ? 'noir-tree-honk-development-srs' : 'development-attestation';
    const noirTree = realProofs
      ? (hooks.noirTree ?? (await prepareNoirTree({ cacheDirectory: defaultCacheDirectory(), srs: 'development', log: (message) => log.info(message) })))
      : undefined;
    await checkLmdbEnvironments(FIRMS.flatMap((name) => firmStores(join(dataDir, 'firms', name))));

    const statePath = join(dataDir, 'devnet.json');
    const keepAliveFile = join(dataDir, 'l1.alive');
    const previous = readState(statePath);
    let chain: LocalChain | undefined;
    let deployment: ProtocolDeployment | undefined;
    if (previous.state) {
      const { rpcUrl, pid, startTicks, deployment: deployed } = previous.state;
      chain = await attachHardhatNode({ rpcUrl, pid, ...(startTicks === undefined ? {} : { startTicks }), keepAliveFile, rollup: deployed.rollup });
      if (chain) deployment = deployed;
      const previousSystem = deployed.proofSystem ?? 'development-attestation';
      if (chain && previousSystem !== proofSystem) {
        throw new DevnetStateMismatchError(
          `${dataDir} holds a running devnet whose L1 verifies ${previousSystem} proofs, not ${proofSystem}; start with --fresh`,
          { dataDir, previousSystem, proofSystem },
        );
      }
    }
    const resumed = chain !== undefined;
    let archived: Devnet['archived'];
    if (!chain) {
      await requireFreePort(options.port);
      const reason = previous.state
        ? `its L1 (pid ${previous.state.pid}, ${previous.state.rpcUrl}) is gone`
        : (previous.problem ?? 'no L1 is recorded for it');
      const to = archiveState(dataDir, ['devnet.json', 'firms', 'l1.alive.log'], new Date());
      if (to) {
        archived = { to, reason };
        log.warn('moved the state of a previous devnet aside', { to, reason });
      }
      chain = await startHardhatNode({ port: options.port, keepAliveFile }).catch((error: unknown) => {
        throw /EADDRINUSE/.test(String((error as Error).message)) ? new L1PortInUseError(options.port) : error;
      });
    }
    const l1 = chain;
    started.push(() => l1.stop());
    const l1Process = identityOf(l1.pid!);
    const rpcUrl = l1.rpcUrl!;
    log.info(resumed ? 'attached to the L1 node' : 'started the L1 node', { rpcUrl, ...l1Process });
    const publicClient = createPublicClient({ chain: l1.chain, transport: http(rpcUrl), pollingInterval: 250 });
    const wallet = (index: number) =>
      createWalletClient({ account: privateKeyToAccount(LOCAL_ACCOUNT_KEYS[index]!), chain: l1.chain, transport: http(rpcUrl) });

    if (!deployment) {
      const now = Number((await publicClient.getBlock()).timestamp);
      const timing = realProofs ? realProofTiming(options.slotSeconds) : slotTiming(options.slotSeconds);
      deployment = await deployProtocol({ publicClient, walletClient: wallet(DEPLOYER) }, devnetParameters(now + 2, { ...timing, ...hooks.protocol }), {
        proofSystem,
      });
      for (const prover of [OUR_PROVER, RIVAL_PROVER]) await depositToEscrow(wallet(prover), deployment.escrow, ESCROW_DEPOSIT);
      writeFileSync(statePath, stringifyWithBigints({ rpcUrl, ...l1Process, deployment } satisfies DevnetState));
    }
    log.info(resumed ? 'resumed devnet' : 'started devnet', { rpcUrl, rollup: deployment.rollup, pid: l1.pid, proofSystem });
    if (noirTree) {
      // Proving with circuits L1 will not accept wastes every proof: refuse before the first.
      const onL1 = await publicClient.readContract({ address: deployment.verifier, abi: noirTreeRootVerifierAbi, functionName: 'rootVkHash' });
      if (onL1 !== noirTree.circuits.root.vkHash) {
        throw new CircuitMismatchError(
          `L1's root verifier was generated for root key ${onL1}, these circuits have ${noirTree.circuits.root.vkHash}: run \`npm run build:circuits\``,
          { onL1, local: noirTree.circuits.root.vkHash },
        );
      }
    }

    const progress = createProgressTracker();
    const agentSettings: Omit<AgentSettings, 'secondsPerExpectedSecond'> = {
      ...DEFAULT_AGENT_SETTINGS,
      visibilityMs: 10_000,
      heartbeatMs: 3_000,
      waitMs: 1_000,
      idleExitMs: 15_000,
      retryDelayMs: 500,
      staleClaimMs: 20_000,
    };
    const rollup = deployment;
    const firm = async (name: (typeof FIRMS)[number], key: number, agents: DevnetOptions['agents'], costModel: typeof OUR_COST_MODEL) => {
      const firmDir = join(dataDir, 'firms', name);
      mkdirSync(firmDir, { recursive: true });
      // An audit trail of who proved what, when: appended synchronously so a kill -9 loses no line.
      const proofLog = openAppendLog(join(firmDir, 'proofs.jsonl'));
      const record = (event: AgentEvent) => {
        if (event.type !== 'proving' && event.type !== 'proved') return;
        if (name === 'ours') progress.record(event, Date.now());
        try {
          proofLog.append(JSON.stringify({ at: Date.now(), pid: process.pid, ...event }));
        } catch (error) {
          fail(error);
        }
      };
      const running = await startFirm({
        name,
        proverKey: LOCAL_ACCOUNT_KEYS[key]!,
        dataDir: firmDir,
        profile: options.profile,
        prover: noirTree ? { kind: 'barretenberg', setup: noirTree } : { kind: 'simulated' },
        timeScale: options.timeScale,
        agents,
        agentSettings,
        mode: 'open-race',
        costModel,
        quotePort: 0,
        rpcUrl,
        chain: l1.chain,
        rollup: rollup.rollup,
        deploymentBlock: rollup.deploymentBlock,
        bond: parseEther('0.5'),
        maxTxs: options.maxTxs,
        watchIntervalMs: 400,
        log: { ...log, info: (message, fields) => log.info(message, { firm: name, ...fields }) },
        onAgentEvent: record,
        ...(name === 'ours' ? { onResumedRun: (runId: string, done: Record<Tier, number>) => progress.resume(runId, done) } : {}),
      }).catch((error: unknown) => {
        proofLog.close();
        throw error;
      });
      started.push(async () => {
        await running.stop();
        proofLog.close();
      });
      return running;
    };
    const ours = await firm('ours', OUR_PROVER, options.agents, OUR_COST_MODEL);
    const rival = await firm('rival', RIVAL_PROVER, options.rivalAgents, RIVAL_COST_MODEL);

    const sequencers = createSequencerSimulator({
      publicClient,
      sequencers: Array.from({ length: options.sequencers }, (_, i) => wallet(FIRST_SEQUENCER + i)),
      rollup: deployment.rollup,
      txsPerBlock: options.txs,
      publicCalls: options.publicCalls,
      quoteEndpoints: [ours.quoteUrl, rival.quoteUrl],
      // Real proofs take minutes: sequencers wait for each block's proof before building the next.
      ...(realProofs ? { maxUnprovenBlocks: 1 } : {}),
      ...(hooks.bodyFor ? { bodyFor: hooks.bodyFor } : {}),
      log: (entry) => log.info(`sequencer: ${entry.event}`, { ...entry }),
    });
    sequencers.start();
    started.push(() => sequencers.stop());

    // The L1 is ours to watch: without it every firm would wait forever on a chain that is not there.
    const watchdog = setInterval(() => {
      if (!isRunning(l1Process)) fail(new L1ExitedError(l1Process.pid, `${keepAliveFile}.log`));
    }, 1_000);
    started.push(() => clearInterval(watchdog));

    return {
      rpcUrl,
      rollup: deployment.rollup,
      escrow: deployment.escrow,
      resumed,
      archived,
      endpoints: {
        l1Rpc: rpcUrl,
        quotes: { ours: `${ours.quoteUrl}/quote`, rival: `${rival.quoteUrl}/quote` },
        dataDir,
        log: logFile,
        l1Log: `${keepAliveFile}.log`,
      },
      ours,
      rival,
      sequencers,
      progress,
      logFile,
      proofSystem,
      log,
      failure: failure.signal,
      async waitForOurBlocks(count, signal) {
        while (!signal.aborted) {
          const proven = (await ours.runs()).filter((run) => run.state === 'settled');
          if (proven.length >= count) return proven.sort((a, b) => (a.blockNumber < b.blockNumber ? -1 : 1)).slice(0, count);
          await new Promise((resolve) => setTimeout(resolve, 250));
        }
        throw signal.reason as Error;
      },
      stop: () => started.stopAll(),
    };
  } catch (error) {
    await started.stopAll().catch(() => undefined);
    throw toStorageError(error, dataDir, 'starting the devnet');
  }
}

/** The LMDB environments of a firm's directory (job store, small artifacts), for the check before opening them. */
function firmStores(firmDir: string): LmdbEnvironment[] {
  return [
    { path: join(firmDir, 'store'), databases: LMDB_JOB_STORE_DATABASES },
    { path: join(firmDir, 'artifacts', 'small.lmdb'), databases: [] },
  ];
}

/** The recorded state, or why there is none to use (missing, or unreadable). */
function readState(path: string): { state?: DevnetState; problem?: string } {
  if (!existsSync(path)) return {};
  try {
    return { state: parseWithBigints<DevnetState>(readFileSync(path, 'utf8')) };
  } catch (error) {
    return { problem: `devnet.json could not be read (${(error as Error).message})` };
  }
}

/** Things started, stopped in reverse order; every stop runs even when an earlier one fails, and the first error is thrown. */
function createStopList() {
  const stops: (() => void | Promise<void>)[] = [];
  return {
    push(stop: () => void | Promise<void>) {
      stops.push(stop);
    },
    async stopAll() {
      const failures: Error[] = [];
      while (stops.length > 0) {
        try {
          await stops.pop()!();
        } catch (error) {
          failures.push(error instanceof Error ? error : new Error(String(error)));
        }
      }
      if (failures.length > 0) throw failures[0]!;
    },
  };
}

/** Resolves when nothing listens on 127.0.0.1:`port` (0 is always free); throws L1PortInUseError otherwise. */
function requireFreePort(port: number): Promise<void> {
  if (port === 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', (error: NodeJS.ErrnoException) => reject(error.code === 'EADDRINUSE' ? new L1PortInUseError(port) : error));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve()));
  });
}

/** Devnet logs go to a file (stdout belongs to the live view): one JSON line per entry; a failed write fails the devnet. */
function fileLogger(sink: AppendLog, fail: (error: unknown) => void): Logger {
  const write = (level: string) => (message: string, fields?: Record<string, unknown>) => {
    try {
      sink.append(stringifyWithBigints({ at: new Date().toISOString(), level, message, ...fields }));
    } catch (error) {
      fail(error);
    }
  };
  return { debug: () => undefined, info: write('info'), warn: write('warn'), error: write('error') };
}
