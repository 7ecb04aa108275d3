import { ProverBurstError } from '../../core/errors/base.js';

/** A transaction was mined but reverted. */
export class TransactionRevertedError extends ProverBurstError {
  override name = 'TransactionRevertedError';
  constructor(
    readonly action: string,
    readonly txHash: string,
  ) {
    super(`${action} reverted in transaction ${txHash}`, { action, txHash });
  }
}

/** The local chain could not be started (the child's last output is attached). */
export class LocalChainStartError extends ProverBurstError {
  override name = 'LocalChainStartError';
  constructor(
    readonly reason: string,
    readonly output: string,
  ) {
    super(`local chain did not start: ${reason}${output ? `\n${output}` : ''}`, { reason, output });
  }
}

/** No BlockRevealed log matches the block's current reveal. */
export class RevealNotFoundError extends ProverBurstError {
  override name = 'RevealNotFoundError';
  constructor(
    readonly blockNumber: bigint,
    readonly l1Block: bigint,
  ) {
    super(`no reveal of block ${blockNumber} found in L1 block ${l1Block}`, { blockNumber, l1Block });
  }
}

/** The reveal transaction did not call `reveal` directly, so its calldata does not carry the body. */
export class RevealCalldataError extends ProverBurstError {
  override name = 'RevealCalldataError';
  constructor(
    readonly blockNumber: bigint,
    readonly txHash: string,
    readonly reason: string,
  ) {
    super(`cannot read the body of block ${blockNumber} from transaction ${txHash}: ${reason}`, { blockNumber, txHash, reason });
  }
}

/** A proof would land after its deadline; it is not sent. */
export class ProofDeadlinePassedError extends ProverBurstError {
  override name = 'ProofDeadlinePassedError';
  constructor(
    readonly blockNumber: bigint,
    readonly deadline: number,
    readonly l1Timestamp: number,
  ) {
    super(`block ${blockNumber}: deadline ${deadline} has passed (L1 time ${l1Timestamp})`, { blockNumber, deadline, l1Timestamp });
  }
}

/** A follow cursor that this follower did not produce (it lacks the delivered events it needs to retract). */
export class InvalidFollowCursorError extends ProverBurstError {
  override name = 'InvalidFollowCursorError';
  constructor(readonly reason: string) {
    super(`invalid follow cursor: ${reason}`, { reason });
  }
}

/** L1 reorganised below the oldest block the cursor remembers, so the orphaned events cannot be named. */
export class ReorgTooDeepError extends ProverBurstError {
  override name = 'ReorgTooDeepError';
  constructor(
    readonly oldestKeptBlock: bigint,
    readonly keepRecent: number,
  ) {
    super(`L1 reorganised below block ${oldestKeptBlock}, the oldest of the ${keepRecent} blocks the cursor keeps`, {
      oldestKeptBlock,
      keepRecent,
    });
  }
}

/** A development attestation must be signed by the prover id it names. */
export class AttestationSignerError extends ProverBurstError {
  override name = 'AttestationSignerError';
  constructor(
    readonly signer: string,
    readonly proverId: string,
  ) {
    super(`account ${signer} cannot attest for prover id ${proverId}`, { signer, proverId });
  }
}

/** A quote endpoint failed, timed out or answered with something that is not a signed quote. */
export class QuoteRequestError extends ProverBurstError {
  override name = 'QuoteRequestError';
  constructor(
    readonly endpoint: string,
    readonly reason: string,
  ) {
    super(`quote endpoint ${endpoint}: ${reason}`, { endpoint, reason });
  }
}

/** A transaction was still not mined when there was no point waiting any longer (its deadline passed). */
export class TransactionNotMinedError extends ProverBurstError {
  override name = 'TransactionNotMinedError';
  constructor(
    readonly hash: string,
    readonly deadline: number,
    readonly bumps: number,
  ) {
    super(`transaction ${hash} was not mined by its deadline ${deadline} after ${bumps} fee bumps`, { hash, deadline, bumps });
  }
}
