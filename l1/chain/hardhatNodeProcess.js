// The child process `startHardhatNode` spawns: Hardhat's CLI runs in this process, and the process exits as soon as
// its stdin (a pipe held by the parent) closes, so a node never outlives the process that started it, even when that
// process is killed without a chance to clean up. It then also removes the temporary directory holding its config,
// which a killed parent cannot.
import { rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';

const configFlag = process.argv.indexOf('--config');
// Only a config in a directory startHardhatNode created for it is ever removed.
const configDir = configFlag > 0 ? dirname(process.argv[configFlag + 1] ?? '') : '';
const ownsConfigDir = /[/\\]prover-burst-hardhat-[^/\\]+$/.test(configDir);
const exitWithParent = () => {
  if (ownsConfigDir) rmSync(configDir, { recursive: true, force: true });
  process.exit(0);
};

// With --keep-alive-file the node outlives its starter for a grace period instead: it exits once nobody has touched
// the file for that long. The devnet uses this so a restarted devnet can pick up the L1 a killed one left behind.
const ownFlag = (name) => {
  const at = process.argv.indexOf(name);
  if (at < 0) return undefined;
  const [value] = process.argv.splice(at, 2).slice(1);
  return value;
};
const keepAliveFile = ownFlag('--keep-alive-file');
const keepAliveGraceMs = Number(ownFlag('--keep-alive-grace-ms') ?? 20_000);
if (keepAliveFile) {
  setInterval(() => {
    let touched = 0;
    try {
      touched = statSync(keepAliveFile).mtimeMs;
    } catch {
      // A missing file is as stale as an old one.
    }
    if (Date.now() - touched > keepAliveGraceMs) exitWithParent();
  }, 1_000).unref();
} else {
  process.stdin.on('end', exitWithParent);
  process.stdin.on('close', exitWithParent);
  process.stdin.on('error', exitWithParent);
  process.stdin.resume();
}

process.argv = [process.argv[0], 'hardhat', ...process.argv.slice(2)];
createRequire(import.meta.url)('hardhat/internal/cli/bootstrap.js');
