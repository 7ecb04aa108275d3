#!/usr/bin/env node
// `solc` as Slither's crytic-compile calls it (`--version`, `--standard-json` with the input on stdin), answered by
// the solc npm package the project compiles with: no native compiler, nothing downloaded.
import { Buffer } from 'node:buffer';
import { createRequire } from 'node:module';

const solc = createRequire(import.meta.url)('solc');
const args = process.argv.slice(2);
if (args.includes('--version')) {
  process.stdout.write(`solc, the solidity compiler commandline interface\nVersion: ${solc.version()}\n`);
} else if (args.includes('--standard-json')) {
  const chunks = [];
  process.stdin.on('data', (chunk) => chunks.push(chunk));
  process.stdin.on('end', () => process.stdout.write(solc.compile(Buffer.concat(chunks).toString('utf8'))));
} else {
  process.stderr.write(`solc (solc-js wrapper for Slither): only --version and --standard-json are supported, got ${args.join(' ')}\n`);
  process.exit(2);
}
