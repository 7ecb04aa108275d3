import type { Clock } from '../../core/ports/clock.js';
import type { ProverBackend } from '../../core/ports/proverBackend.js';
import { proofSeconds } from '../model/proofSeconds.js';
import { hashText } from '../model/stableHash.js';


export interface ModelledProverParameters {
  readonly clock: Clock;
  readonly sigma: number;
  readonly seedKey: number;
  /** Attempts so far per job id, shared by every agent: the n-th attempt at a job always draws the same duration. */
  readonly attempts: Map<string, number>;
  /** Told when a proof is ready, with how long it took. */
  readonly onProved: (jobId: string, seconds: number) => void;
}

const encoder = new TextEncoder();

/**
 * The SIMULATOR's prover backend: it proves nothing. A proof is a short byte string naming the job and attempt,
 * ready after `proofSeconds` on the simulated clock; an abort (SIGTERM) ends the attempt early.
 */
export function createModelledProver({ clock, sigma, seedKey, attempts, onProved }: ModelledProverParameters): ProverBackend {
  return {
    name: 'modelled',
    simulated: true,
    async prove(request) {
      const attempt = attempts.get(request.jobId) ?? 0;
      attempts.set(request.jobId, attempt + 1);
      const seconds = proofSeconds(request.expectedSeconds, sigma, seedKey, hashText(request.jobId), attempt);
      await clock.sleep(seconds * 1_000, request.signal);
      onProved(request.jobId, seconds);
      return encoder.encode(`${request.jobId}#${attempt}`);
    },
  };
}
