// `npm run build:contracts`: compiles contracts/src and writes the typed artifacts to contracts/artifacts/.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileContracts } from './compileContracts.js';
import { renderArtifact } from './renderArtifact.js';

const artifactsDir = join(dirname(fileURLToPath(import.meta.url)), 'artifacts');
const { compilerVersion, contracts } = compileContracts();
mkdirSync(artifactsDir, { recursive: true });
for (const contract of contracts) {
  const path = join(artifactsDir, `${contract.artifact}.ts`);
  writeFileSync(path, renderArtifact(contract, compilerVersion));
  process.stdout.write(`${contract.name}: ${(contract.bytecode.length - 2) / 2} bytes of creation code -> ${path}\n`);
}
