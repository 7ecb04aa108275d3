// `npm run build:circuits [-- --srs ignition]`: builds the noir-tree circuits (noir_wasm), their verification keys and
// the root's Solidity verifier (bb) into the cache, and writes the verifier into contracts/src/verifier/noirTree/.
// Then run `npm run build:contracts` (the npm script does) so contracts/artifacts follow.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { defaultCacheDirectory } from '../adapters/provers/barretenberg/cacheDirectory.js';
import { prepareNoirTree } from '../adapters/provers/barretenberg/noirTreeSetup.js';
import { rootVerifierContractName } from '../adapters/provers/barretenberg/rootVerifierSolidity.js';

const { values } = parseArgs({ options: { srs: { type: 'string', default: 'development' } } });
const srs = values.srs;
if (srs !== 'development' && srs !== 'ignition') throw new Error(`--srs must be development or ignition, got ${srs}`);
const started = Date.now();
const { circuits } = await prepareNoirTree({
  cacheDirectory: defaultCacheDirectory(),
  srs,
  log: (message) => process.stdout.write(`${message}\n`),
});
const path = join(import.meta.dirname, '..', 'contracts', 'src', 'verifier', 'noirTree', `${rootVerifierContractName(circuits.srs)}.sol`);
writeFileSync(path, circuits.rootVerifierSolidity);
process.stdout.write(
  [
    `noir-tree circuits for the ${circuits.srs.kind.toUpperCase()} SRS in ${circuits.directory} (${((Date.now() - started) / 1000).toFixed(1)} s)`,
    `  tx ${circuits.tx.vkHash} · merge ${circuits.merge.vkHash} · root ${circuits.root.vkHash}`,
    `  root verifier -> ${path}`,
    '',
  ].join('\n'),
);
