import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { http } from 'viem';
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
  const child = spawn(
    process.execPath,
    [join(HERE, 'hardhatNodeProcess.js'), 'node', '--config', configPath, '--hostname', '127.0.0.1', '--port', '0'],
    {
      cwd: PROJECT_ROOT,
      detached: true,
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, HARDHAT_DISABLE_TELEMETRY_PROMPT: 'true' },
    },
  );
  const stop = () => stopProcessGroup(child).finally(() => rmSync(dir, { recursive: true, force: true }));
  try {
    const rpcUrl = await waitUntilListening(child, options.startupTimeoutMs ?? 30_000);
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
