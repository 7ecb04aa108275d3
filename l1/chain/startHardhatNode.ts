import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { http, type Address } from 'viem';
import { isRunning, type ProcessIdentity } from '../../adapters/host/processIdentity.js';
import { LocalChainStartError } from '../errors/l1Errors.js';
import { hardhatNodeConfig } from './hardhatNodeConfig.js';
import { LOCAL_ACCOUNT_KEYS } from './localAccounts.js';
import type { LocalChain } from './localChainTypes.js';
import { localChain } from './localNetwork.js';

export interface StartHardhatNodeOptions {
  /** Milliseconds between interval-mined blocks (transactions are also mined at once). @default 1000 */
  readonly blockIntervalMs?: number;
  /** How long to wait for the node to listen. @default 30000 */
  readonly startupTimeoutMs?: number;
  /** The port to listen on, on 127.0.0.1. @default 0 (a free port) */
  readonly port?: number;
  /**
   * Lets the node outlive this process for `keepAliveGraceMs`: we touch this file every second, the node exits once
   * it is stale. A later process can `attachHardhatNode` to it within the grace. Its output goes to `<file>.log`.
   * @default undefined (the node dies with this process)
   */
  readonly keepAliveFile?: string;
  /** @default 20000 */
  readonly keepAliveGraceMs?: number;
}

export interface AttachHardhatNodeOptions {
  readonly rpcUrl: string;
  readonly pid: number;
  /** The node's start time (`identityOf`), so a later process that reuses its pid is never taken for it. */
  readonly startTicks?: number;
  readonly keepAliveFile: string;
  /** When given, the node must hold contract code there (it is the chain we deployed to). */
  readonly rollup?: Address;
}

const HERE = dirname(fileURLToPath(import.meta.url));
/** Hardhat must be run from inside the project that installs it. */
const PROJECT_ROOT = join(HERE, '..', '..');
const LISTENING = /Started HTTP and WebSocket JSON-RPC server at (http:\/\/127\.0\.0\.1:\d+)\//;
const STOP_GRACE_MS = 5_000;

/**
 * Spawns `hardhat node` on 127.0.0.1 on a free port (the OS picks it) in its own process group. The child exits
 * when our end of its stdin pipe closes, so it dies with us; `stop()` kills its process group by pid and waits.
 */
export async function startHardhatNode(options: StartHardhatNodeOptions = {}): Promise<LocalChain> {
  const dir = mkdtempSync(join(tmpdir(), 'prover-burst-hardhat-'));
  const configPath = join(dir, 'hardhat.config.cjs');
  writeFileSync(configPath, hardhatNodeConfig(options.blockIntervalMs ?? 1000));
  const keepAlive = options.keepAliveFile;
  const args = [join(HERE, 'hardhatNodeProcess.js'), 'node', '--config', configPath, '--hostname', '127.0.0.1', '--port', String(options.port ?? 0)];
  let logFd: number | undefined;
  if (keepAlive) {
    writeFileSync(keepAlive, String(Date.now()));
    args.push('--keep-alive-file', keepAlive, '--keep-alive-grace-ms', String(options.keepAliveGraceMs ?? 20_000));
    // Not our pipes: a node writing to the pipe of a killed parent would die of EPIPE.
    logFd = openSync(`${keepAlive}.log`, 'w');
  }
  const child = spawn(process.execPath, args, {
    cwd: PROJECT_ROOT,
    detached: true,
    stdio: keepAlive ? ['ignore', logFd, logFd] : ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, HARDHAT_DISABLE_TELEMETRY_PROMPT: 'true' },
  });
  if (logFd !== undefined) closeSync(logFd);
  const toucher = keepAlive ? touchEverySecond(keepAlive) : undefined;
  const stop = () =>
    stopProcessGroup(child).finally(() => {
      if (toucher) clearInterval(toucher);
      rmSync(dir, { recursive: true, force: true });
    });
  try {
    const startupTimeoutMs = options.startupTimeoutMs ?? 30_000;
    const rpcUrl = keepAlive ? await waitUntilLogged(child, `${keepAlive}.log`, startupTimeoutMs) : await waitUntilListening(child, startupTimeoutMs);
    // Hardhat answers a revert with -32603, which viem would retry; a local node has no transient failures to retry.
    return {
      mode: 'node',
      rpcUrl,
      pid: child.pid!,
      transport: http(rpcUrl, { retryCount: 0 }),
      chain: localChain(rpcUrl),
      accounts: LOCAL_ACCOUNT_KEYS,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * Reconnects to a node a previous (perhaps killed) process started with a keep-alive file: it must still run, answer
 * JSON-RPC and, if asked, hold the rollup's code. Returns undefined when it does not; otherwise we keep it alive from
 * now on and `stop()` ends it by pid.
 */
export async function attachHardhatNode(options: AttachHardhatNodeOptions): Promise<LocalChain | undefined> {
  const node: ProcessIdentity = options.startTicks === undefined ? { pid: options.pid } : { pid: options.pid, startTicks: options.startTicks };
  if (!isRunning(node)) return undefined;
  try {
    const code = options.rollup ? await rpc(options.rpcUrl, 'eth_getCode', [options.rollup, 'latest']) : await rpc(options.rpcUrl, 'eth_chainId', []);
    if (typeof code !== 'string' || code === '0x') return undefined;
  } catch {
    return undefined;
  }
  const toucher = touchEverySecond(options.keepAliveFile);
  return {
    mode: 'node',
    rpcUrl: options.rpcUrl,
    pid: options.pid,
    transport: http(options.rpcUrl, { retryCount: 0 }),
    chain: localChain(options.rpcUrl),
    accounts: LOCAL_ACCOUNT_KEYS,
    async stop() {
      clearInterval(toucher);
      // Only the node itself is signalled: once it is gone its pid may belong to someone else.
      if (isRunning(node)) killGroup(options.pid, 'SIGTERM');
      const deadline = Date.now() + STOP_GRACE_MS;
      while (isRunning(node) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
      if (isRunning(node)) killGroup(options.pid, 'SIGKILL');
    },
  };
}

function touchEverySecond(file: string): NodeJS.Timeout {
  const touch = () => writeFileSync(file, String(Date.now()));
  touch();
  const timer = setInterval(touch, 1_000);
  timer.unref();
  return timer;
}

async function rpc(url: string, method: string, params: unknown[]): Promise<unknown> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
    signal: AbortSignal.timeout(2_000),
  });
  return ((await response.json()) as { result: unknown }).result;
}

/** Resolves with the RPC URL once the node's log file says it listens. */
async function waitUntilLogged(child: ChildProcess, logFile: string, timeoutMs: number): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let log = '';
    try {
      log = readFileSync(logFile, 'utf8');
    } catch {
      // Not written yet.
    }
    const match = LISTENING.exec(log);
    if (match) return match[1]!;
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new LocalChainStartError(`hardhat node exited (code ${String(child.exitCode)})`, log.slice(-4_000));
    }
    if (Date.now() > deadline) throw new LocalChainStartError(`no listening line within ${timeoutMs} ms`, log.slice(-4_000));
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Resolves with the RPC URL once the node says it listens; keeps draining its output so it never blocks on a pipe. */
function waitUntilListening(child: ChildProcess, timeoutMs: number): Promise<string> {
  const recent: string[] = [];
  const remember = (line: string) => {
    recent.push(line);
    if (recent.length > 40) recent.shift();
  };
  createInterface({ input: child.stderr! }).on('line', remember);
  const stdout = createInterface({ input: child.stdout! });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new LocalChainStartError(`no listening line within ${timeoutMs} ms`, recent.join('\n'))), timeoutMs);
    stdout.on('line', (line) => {
      remember(line);
      const match = LISTENING.exec(line);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new LocalChainStartError(`hardhat node exited (code ${String(code)}, signal ${String(signal)})`, recent.join('\n')));
    });
  });
}

async function stopProcessGroup(child: ChildProcess): Promise<void> {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  killGroup(child.pid, 'SIGTERM');
  const timer = setTimeout(() => killGroup(child.pid!, 'SIGKILL'), STOP_GRACE_MS);
  await exited;
  clearTimeout(timer);
}

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch (error) {
    // ESRCH: the group is already gone, which is what we want.
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}
