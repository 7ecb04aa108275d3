import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileContracts } from './compileContracts.js';
import { renderArtifact } from './renderArtifact.js';

// solc-js compiles every contract here, the generated 5,400-line noir-tree Honk verifier among them: 8 s of CPU,
// three times that on the shared 2-core machine under load.
const COMPILE_TIMEOUT_MS = 180_000;

describe('contract artifacts', () => {
  it('are exactly what compiling contracts/src produces now (run `npm run build:contracts` after a change)', () => {
    const { compilerVersion, contracts } = compileContracts();
    for (const contract of contracts) {
      const committed = readFileSync(join(import.meta.dirname, 'artifacts', `${contract.artifact}.ts`), 'utf8');
      expect(committed, `contracts/artifacts/${contract.artifact}.ts is stale`).toBe(renderArtifact(contract, compilerVersion));
    }
  }, COMPILE_TIMEOUT_MS);
});
