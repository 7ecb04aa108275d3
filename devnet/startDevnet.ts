import { appendFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createPublicClient, createWalletClient, http, parseEther, type Address, type Hex } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { DEFAULT_AGENT_SETTINGS, type AgentSettings } from '../core/agent/agentSettings.js';
import type { AgentEvent } from '../core/agent/handleDelivery.js';
import { parseWithBigints, stringifyWithBigints } from '../core/json/bigintJson.js';
import type { Logger } from '../core/ports/logger.js';
import type { ProvingRun } from '../core/ports/provingRun.js';
import type { ProtocolParameters } from '../core/protocol/types.js';
import { attachHardhatNode, startHardhatNode } from '../l1/chain/startHardhatNode.js';
import type { LocalChain } from '../l1/chain/localChainTypes.js';
import { LOCAL_ACCOUNT_KEYS } from '../l1/chain/localAccounts.js';
import { deployProtocol, type ProtocolDeployment } from '../l1/deploy/deployProtocol.js';
import { devnetParameters } from '../l1/deploy/devnetParameters.js';
import { depositToEscrow } from '../l1/escrow/escrowActions.js';
import { createSequencerSimulator, type SequencerSimulator } from '../l1/sequencer/createSequencerSimulator.js';
import type { DevnetOptions } from './devnetOptions.js';
import { OUR_COST_MODEL, RIVAL_COST_MODEL, slotTiming } from './devnetOptions.js';
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
  readonly pid: number;
  readonly deployment: ProtocolDeployment;
}

export interface DevnetHooks {
  /** Replaces a sequencer's body in a slot (tests reveal malformed or oversized bodies with it). */
  readonly bodyFor?: (slot: bigint, sequencer: Address) => Hex | undefined;
  /** Protocol parameters to set beyond the slot timing (tests shorten the windows). */
  readonly protocol?: Partial<ProtocolParameters>;
}

export interface Devnet {
  readonly rpcUrl: string;
  readonly rollup: Address;
  readonly escrow: Address;
  /** True when this start picked up an L1 and firm state left by an earlier (killed) devnet. */
  readonly resumed: boolean;
  readonly ours: Firm;
  readonly rival: Firm;
  readonly sequencers: SequencerSimulator;
  readonly progress: ProgressTracker;
  readonly logFile: string;
  /** Resolves with our first `count` blocks proven on L1 (settled runs), or rejects when `signal` aborts. */
  waitForOurBlocks(count: number, signal: AbortSignal): Promise<ProvingRun[]>;
  stop(): Promise<void>;
}

/**
 * The whole system on one machine: a `hardhat node` L1 with the reference contracts, Fernet sequencers (the
 * simulator), our proving firm and a rival firm with another prover id, each an embedded orchestrator with local
 * agents running the SIMULATED prover backend. State lives in `dataDir`; starting again with the same directory
 * while its L1 is still up (it outlives a killed devnet for a grace period) resumes where the devnet stopped.
 */
export async function startDevnet(options: DevnetOptions, hooks: DevnetHooks = {}): Promise<Devnet> {
  mkdirSync(options.dataDir, { recursive: true });
  const logFile = join(options.dataDir, 'devnet.log');
  const log = fileLogger(logFile);
  const statePath = join(options.dataDir, 'devnet.json');
  const keepAliveFile = join(options.dataDir, 'l1.alive');

  let chain: LocalChain | undefined;
  let deployment: ProtocolDeployment | undefined;
  const previous = existsSync(statePath) ? parseWithBigints<DevnetState>(readFileSync(statePath, 'utf8')) : undefined;
  if (previous) {
    chain = await attachHardhatNode({ rpcUrl: previous.rpcUrl, pid: previous.pid, keepAliveFile, rollup: previous.deployment.rollup });
    if (chain) deployment = previous.deployment;
  }
  const resumed = chain !== undefined;
  if (!chain) {
    // A fresh L1: whatever the firms remembered belongs to a chain that is gone.
    rmSync(join(options.dataDir, 'firms'), { recursive: true, force: true });
    chain = await startHardhatNode({ port: options.port, keepAliveFile });
  }
  const rpcUrl = chain.rpcUrl!;
  const publicClient = createPublicClient({ chain: chain.chain, transport: http(rpcUrl), pollingInterval: 250 });
  const wallet = (index: number) =>
    createWalletClient({ account: privateKeyToAccount(LOCAL_ACCOUNT_KEYS[index]!), chain: chain.chain, transport: http(rpcUrl) });

  if (!deployment) {
    const now = Number((await publicClient.getBlock()).timestamp);
    deployment = await deployProtocol({ publicClient, walletClient: wallet(DEPLOYER) }, devnetParameters(now + 2, { ...slotTiming(options.slotSeconds), ...hooks.protocol }));
    for (const prover of [OUR_PROVER, RIVAL_PROVER]) await depositToEscrow(wallet(prover), deployment.escrow, ESCROW_DEPOSIT);
    writeFileSync(statePath, stringifyWithBigints({ rpcUrl, pid: chain.pid!, deployment } satisfies DevnetState));
  }
  log.info(resumed ? 'resumed devnet' : 'started devnet', { rpcUrl, rollup: deployment.rollup, pid: chain.pid });

  const progress = createProgressTracker();
  const agentSettings: AgentSettings = {
    ...DEFAULT_AGENT_SETTINGS,
    visibilityMs: 10_000,
    heartbeatMs: 3_000,
    waitMs: 1_000,
    idleExitMs: 15_000,
    retryDelayMs: 500,
    staleClaimMs: 20_000,
  };
  const firm = async (name: string, key: number, agents: DevnetOptions['agents'], mode: 'open-race', costModel: typeof OUR_COST_MODEL) => {
    const dataDir = join(options.dataDir, 'firms', name);
    mkdirSync(dataDir, { recursive: true });
    const proofLog = join(dataDir, 'proofs.jsonl');
    const record = (event: AgentEvent) => {
      if (event.type !== 'proving' && event.type !== 'proved') return;
      if (name === 'ours') progress.record(event, Date.now());
      // An audit trail of who proved what, when: appended synchronously so a kill -9 loses no line.
      appendFileSync(proofLog, `${JSON.stringify({ at: Date.now(), pid: process.pid, ...event })}\n`);
    };
    return startFirm({
      name,
      proverKey: LOCAL_ACCOUNT_KEYS[key]!,
      dataDir,
      profile: options.profile,
      timeScale: options.timeScale,
      agents,
      agentSettings,
      mode,
      costModel,
      quotePort: 0,
      rpcUrl,
      chain: chain.chain,
      rollup: deployment.rollup,
      deploymentBlock: deployment.deploymentBlock,
      bond: parseEther('0.5'),
      maxTxs: options.maxTxs,
      watchIntervalMs: 400,
      log: { ...log, info: (message, fields) => log.info(message, { firm: name, ...fields }) },
      onAgentEvent: record,
    });
  };
  const ours = await firm('ours', OUR_PROVER, options.agents, 'open-race', OUR_COST_MODEL);
  const rival = await firm('rival', RIVAL_PROVER, options.rivalAgents, 'open-race', RIVAL_COST_MODEL);

  const sequencers = createSequencerSimulator({
    publicClient,
    sequencers: Array.from({ length: options.sequencers }, (_, i) => wallet(FIRST_SEQUENCER + i)),
    rollup: deployment.rollup,
    txsPerBlock: options.txs,
    publicCalls: options.publicCalls,
    quoteEndpoints: [ours.quoteUrl, rival.quoteUrl],
    ...(hooks.bodyFor ? { bodyFor: hooks.bodyFor } : {}),
    log: (entry) => log.info(`sequencer: ${entry.event}`, { ...entry }),
  });
  sequencers.start();

  return {
    rpcUrl,
    rollup: deployment.rollup,
    escrow: deployment.escrow,
    resumed,
    ours,
    rival,
    sequencers,
    progress,
    logFile,
    async waitForOurBlocks(count, signal) {
      while (!signal.aborted) {
        const proven = (await ours.runs()).filter((run) => run.state === 'settled');
        if (proven.length >= count) return proven.sort((a, b) => (a.blockNumber < b.blockNumber ? -1 : 1)).slice(0, count);
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
      throw signal.reason as Error;
    },
    async stop() {
      await sequencers.stop();
      await Promise.all([ours.stop(), rival.stop()]);
      await chain.stop();
      rmSync(statePath, { force: true });
    },
  };
}

/** Devnet logs go to a file (stdout belongs to the live view): one JSON line per entry. */
function fileLogger(path: string): Logger {
  const write = (level: string) => (message: string, fields?: Record<string, unknown>) =>
    appendFileSync(path, `${stringifyWithBigints({ at: new Date().toISOString(), level, message, ...fields })}\n`);
  return { debug: () => undefined, info: write('info'), warn: write('warn'), error: write('error') };
}
