// The child process `startHardhatNode` spawns: Hardhat's CLI runs in this process, and the process exits as soon as
// its stdin (a pipe held by the parent) closes, so a node never outlives the process that started it, even when that
// process is killed without a chance to clean up. It then also removes the temporary directory holding its config,
// which a killed parent cannot.
import { rmSync } from 'node:fs';
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
process.stdin.on('end', exitWithParent);
process.stdin.on('close', exitWithParent);
process.stdin.on('error', exitWithParent);
process.stdin.resume();

process.argv = [process.argv[0], 'hardhat', ...process.argv.slice(2)];
createRequire(import.meta.url)('hardhat/internal/cli/bootstrap.js');
