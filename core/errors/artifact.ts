import { ProverBurstError } from './base.js';

/** Bytes stored under a digest do not hash to it: the artifact was corrupted and must not be used. */
export class CorruptArtifactError extends ProverBurstError {
  override name = 'CorruptArtifactError';
  constructor(
    readonly digest: string,
    readonly actual: string,
  ) {
    super(`artifact ${digest} is corrupt: its bytes hash to ${actual}`, { digest, actual });
  }
}

/** Nothing is stored under a digest. */
export class MissingArtifactError extends ProverBurstError {
  override name = 'MissingArtifactError';
  constructor(readonly digest: string) {
    super(`artifact ${digest} does not exist`, { digest });
  }
}

/** A digest that is not `sha256:` and 64 lowercase hex digits. */
export class InvalidDigestError extends ProverBurstError {
  override name = 'InvalidDigestError';
  constructor(readonly digest: string) {
    super(`"${digest}" is not an artifact digest (sha256:<64 hex>)`, { digest });
  }
}

/**
 * A prover backend checked a child proof it was handed and it does not verify (a faulty or malicious agent, bits
 * flipped after its own check): the child is proven again, the parent waits for it.
 */
export class InvalidChildProofError extends ProverBurstError {
  override name = 'InvalidChildProofError';
  constructor(
    readonly childIndex: number,
    readonly reason: string,
  ) {
    super(`child proof ${childIndex} does not verify: ${reason}`, { childIndex, reason });
  }
}
