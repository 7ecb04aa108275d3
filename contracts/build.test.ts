import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileContracts } from './compileContracts.js';
import { renderArtifact } from './renderArtifact.js';

describe('contract artifacts', () => {
  it('are exactly what compiling contracts/src produces now (run `npm run build:contracts` after a change)', () => {
    const { compilerVersion, contracts } = compileContracts();
    for (const contract of contracts) {
      const committed = readFileSync(join(import.meta.dirname, 'artifacts', `${contract.artifact}.ts`), 'utf8');
      expect(committed, `contracts/artifacts/${contract.artifact}.ts is stale`).toBe(renderArtifact(contract, compilerVersion));
    }
  });
});
