import { describe, expect, it } from 'vitest';
import type { ProofRequest, ProverBackend } from '../../core/ports/proverBackend.js';

export interface ProverBackendFixture {
  /** Proves normally; a proof takes a noticeable time (at least ~50 ms) so that stopping can be observed. */
  readonly backend: ProverBackend;
  /** Always fails. */
  readonly failing: ProverBackend;
}

const request = (overrides: Partial<ProofRequest> = {}): ProofRequest => ({
  runId: 'run',
  jobId: 'run/merge/1.0',
  kind: 'merge',
  tier: 'light',
  expectedSeconds: 30,
  childProofs: [new Uint8Array([1, 2, 3]), new Uint8Array([4, 5, 6])],
  inputs: { level: 1, index: 0 },
  signal: new AbortController().signal,
  ...overrides,
});

/** The behaviour every ProverBackend adapter must have. */
export function describeProverBackendContract(name: string, open: () => ProverBackendFixture) {
  describe(`ProverBackend contract: ${name}`, () => {
    it('proves the same inputs to the same bytes, and other children to other bytes', async () => {
      const { backend } = open();
      const proof = await backend.prove(request());
      expect(proof.length).toBeGreaterThan(0);
      expect(await backend.prove(request())).toEqual(proof);
      expect(await backend.prove(request({ childProofs: [new Uint8Array([9])] }))).not.toEqual(proof);
    });

    it('stops when the agent is told to stop', async () => {
      const { backend } = open();
      const stop = new AbortController();
      const proving = backend.prove(request({ expectedSeconds: 3_600, signal: stop.signal }));
      stop.abort(new Error('SIGTERM'));
      await expect(proving).rejects.toThrow('SIGTERM');
    });

    it('rejects with a named error when proving fails', async () => {
      const { failing } = open();
      const error = await failing.prove(request()).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(Error);
      expect((error as Error).name).not.toBe('Error');
    });
  });
}
