import { describe, expect, it } from 'vitest';
import type { ProofRequest, ProverBackend } from '../../core/ports/proverBackend.js';

export interface ProverBackendFixture {
  /** Proves normally; a proof takes a noticeable time (at least ~50 ms) so that stopping can be observed. */
  readonly backend: ProverBackend;
  /** Always fails. */
  readonly failing: ProverBackend;
  /**
   * A job the backend can prove and one with other inputs, for a backend that proves real circuits and so cannot
   * take made-up children. @default a merge of two made-up child proofs, and the same merge of another child
   */
  readonly jobs?: { readonly job: Omit<ProofRequest, 'signal'>; readonly other: Omit<ProofRequest, 'signal'> };
}

const defaultRequest = (overrides: Partial<ProofRequest> = {}): ProofRequest => ({
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

/** The behaviour every ProverBackend adapter must have; `timeoutMs` per test for a backend that proves for real. */
export function describeProverBackendContract(name: string, open: () => ProverBackendFixture, { timeoutMs }: { readonly timeoutMs?: number } = {}) {
  describe(`ProverBackend contract: ${name}`, () => {
    const requests = (fixture: ProverBackendFixture) => {
      const signal = () => new AbortController().signal;
      const job = (overrides: Partial<ProofRequest> = {}) =>
        fixture.jobs ? { ...fixture.jobs.job, signal: signal(), ...overrides } : defaultRequest(overrides);
      const other = () => (fixture.jobs ? { ...fixture.jobs.other, signal: signal() } : defaultRequest({ childProofs: [new Uint8Array([9])] }));
      return { job, other };
    };

    it('proves the same inputs to the same bytes, and other inputs to other bytes', async () => {
      const fixture = open();
      const { job, other } = requests(fixture);
      const proof = await fixture.backend.prove(job());
      expect(proof.length).toBeGreaterThan(0);
      expect(await fixture.backend.prove(job())).toEqual(proof);
      expect(await fixture.backend.prove(other())).not.toEqual(proof);
    }, timeoutMs);

    it('stops when the agent is told to stop', async () => {
      const fixture = open();
      const { backend } = fixture;
      const stop = new AbortController();
      const proving = backend.prove(requests(fixture).job({ expectedSeconds: 3_600, signal: stop.signal }));
      stop.abort(new Error('SIGTERM'));
      await expect(proving).rejects.toThrow('SIGTERM');
    }, timeoutMs);

    it('rejects with a named error when proving fails', async () => {
      const fixture = open();
      const error = await fixture.failing.prove(requests(fixture).job()).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(Error);
      expect((error as Error).name).not.toBe('Error');
    }, timeoutMs);
  });
}
