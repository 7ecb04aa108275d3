import { createHash } from 'node:crypto';
import { hexToBytes, type LocalAccount } from 'viem';
import { hashRootPublicInputs } from '../../core/protocol/publicInputs.js';
import type { Clock } from '../../core/ports/clock.js';
import type { ProofRequest, ProverBackend } from '../../core/ports/proverBackend.js';
import { seededRandom } from '../../core/random/seededRandom.js';
import { SimulatedProverFailure } from './errors/proverErrors.js';

export interface SimulatedProverOptions {
  readonly clock: Clock;
  /** A proof takes its profile's expected duration times this (0 for instant proofs). */
  readonly timeScale: number;
  /** Signs the root's attestation, which the development verifier checks (the prover id's key). */
  readonly attester: Pick<LocalAccount, 'address' | 'signMessage'>;
  /** Share of attempts that fail, drawn from `seed`; 0 by default. */
  readonly failureRate?: number;
  /** Fails every attempt for which it returns true (fault tests). */
  readonly failWhen?: (request: ProofRequest) => boolean;
  readonly seed?: string | number;
}

const MAGIC = new TextEncoder().encode('SIMULATED-PROOF/1 ');

/**
 * The devnet's SIMULATED prover: it proves nothing. A "proof" is a digest of the job's inputs and its children's
 * proofs, produced after the profile's expected duration × time scale; the root's "proof" is an ECDSA attestation
 * by the prover over the root public inputs, which only the development verifier accepts.
 */
export function createSimulatedProver(options: SimulatedProverOptions): ProverBackend {
  const random = seededRandom(options.seed ?? 'simulated-prover');
  return {
    name: 'simulated',
    simulated: true,
    async prove(request) {
      await options.clock.sleep(request.expectedSeconds * 1000 * options.timeScale, request.signal);
      if (options.failWhen?.(request) || random() < (options.failureRate ?? 0)) {
        throw new SimulatedProverFailure(`simulated failure proving ${request.jobId}`, { jobId: request.jobId });
      }
      if (request.rootPublicInputs) {
        if (request.rootPublicInputs.proverId.toLowerCase() !== options.attester.address.toLowerCase()) {
          throw new SimulatedProverFailure(
            `root is bound to prover ${request.rootPublicInputs.proverId} but this prover attests as ${options.attester.address}`,
          );
        }
        const signature = await options.attester.signMessage({
          message: { raw: hashRootPublicInputs(request.rootPublicInputs) },
        });
        return hexToBytes(signature);
      }
      const hash = createHash('sha256').update(request.jobId).update(JSON.stringify(request.inputs));
      for (const child of request.childProofs) hash.update(createHash('sha256').update(child).digest());
      const proof = new Uint8Array(MAGIC.length + 32);
      proof.set(MAGIC);
      proof.set(hash.digest(), MAGIC.length);
      return proof;
    },
  };
}
