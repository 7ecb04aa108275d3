import { join } from 'node:path';
import { privateKeyToAccount } from 'viem/accounts';
import { recoverMessageAddress, bytesToHex } from 'viem';
import { describe, expect, it } from 'vitest';
import { hashRootPublicInputs } from '../../core/protocol/publicInputs.js';
import { describeProverBackendContract } from '../../test/contracts/proverBackend.contract.js';
import { systemClock } from '../embedded/systemClock.js';
import { createCommandProver } from './commandProver.js';
import { createSimulatedProver } from './simulatedProver.js';

const attester = privateKeyToAccount('0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d');
const toyProver = join(import.meta.dirname, '../../test/fixtures/toy-prover.mjs');

describeProverBackendContract('simulated', () => ({
  backend: createSimulatedProver({ clock: systemClock, timeScale: 0.002, attester }),
  failing: createSimulatedProver({ clock: systemClock, timeScale: 0, attester, failureRate: 1 }),
}));

describeProverBackendContract('command', () => ({
  backend: createCommandProver({ command: [process.execPath, toyProver], timeoutMs: 10_000 }),
  failing: createCommandProver({ command: ['/usr/bin/env', 'TOY_PROVER_MODE=fail', process.execPath, toyProver], timeoutMs: 10_000 }),
}));

describe('the simulated prover', () => {
  const rootPublicInputs = {
    blockNumber: 3n,
    proverId: attester.address,
    bodyHash: `0x${'11'.repeat(32)}`,
    parentStateRoot: `0x${'22'.repeat(32)}`,
    newStateRoot: `0x${'33'.repeat(32)}`,
  } as const;
  const root = { runId: 'r', jobId: 'r/root', kind: 'root', tier: 'light', expectedSeconds: 30, childProofs: [], inputs: {} } as const;

  it("signs the root's public inputs as the prover, for the development verifier", async () => {
    const prover = createSimulatedProver({ clock: systemClock, timeScale: 0, attester });
    const proof = await prover.prove({ ...root, rootPublicInputs, signal: new AbortController().signal });
    expect(proof).toHaveLength(65);
    const signer = await recoverMessageAddress({ message: { raw: hashRootPublicInputs(rootPublicInputs) }, signature: bytesToHex(proof) });
    expect(signer).toBe(attester.address);
  });

  it('refuses to attest a root bound to another prover id', async () => {
    const prover = createSimulatedProver({ clock: systemClock, timeScale: 0, attester });
    const other = { ...rootPublicInputs, proverId: '0x000000000000000000000000000000000000dEaD' } as const;
    await expect(prover.prove({ ...root, rootPublicInputs: other, signal: new AbortController().signal })).rejects.toThrow('bound to prover');
  });

  it('says it is simulated', () => {
    expect(createSimulatedProver({ clock: systemClock, timeScale: 0, attester })).toMatchObject({ name: 'simulated', simulated: true });
  });
});

describe('the command prover', () => {
  it('kills a prover that runs past its timeout', async () => {
    const prover = createCommandProver({ command: ['/usr/bin/env', 'TOY_PROVER_MODE=hang', process.execPath, toyProver], timeoutMs: 300 });
    const request = { runId: 'r', jobId: 'r/base/0', kind: 'base', tier: 'light', expectedSeconds: 30, childProofs: [], inputs: {}, signal: new AbortController().signal } as const;
    await expect(prover.prove(request)).rejects.toThrow('timed out after 300 ms');
  });

  it('reports the prover stderr when it fails', async () => {
    const prover = createCommandProver({ command: ['/usr/bin/env', 'TOY_PROVER_MODE=fail', process.execPath, toyProver], timeoutMs: 5_000 });
    const request = { runId: 'r', jobId: 'r/base/0', kind: 'base', tier: 'light', expectedSeconds: 30, childProofs: [], inputs: {}, signal: new AbortController().signal } as const;
    await expect(prover.prove(request)).rejects.toThrow('constraint 7 unsatisfied');
  });
});
