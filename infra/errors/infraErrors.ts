import { ProverBurstError } from '../../core/errors/base.js';

/** The context holds values the app cannot deploy; names every bad key, its problem and its value. */
export class AppContextError extends ProverBurstError {
  override name = 'AppContextError';
  constructor(readonly problems: readonly { readonly key: string; readonly problem: string; readonly value: unknown }[]) {
    super(`invalid context (cdk.json or -c): ${problems.map((p) => `${p.key} ${p.problem} (got ${JSON.stringify(p.value) ?? 'nothing'})`).join('; ')}`, { problems });
  }
}

/** None of a tier's instance types (or not all of those the operator named) is offered in the region. */
export class InstanceTypesUnavailableError extends ProverBurstError {
  override name = 'InstanceTypesUnavailableError';
  constructor(
    readonly region: string,
    readonly tier: string,
    readonly missing: readonly string[],
    readonly offeredOfSameSize: readonly string[],
  ) {
    super(
      `${region} does not offer ${missing.join(', ')} for the ${tier} tier; of the same size it offers ${offeredOfSameSize.join(', ') || 'no C, M or R instance'}: set ${tier}InstanceTypes to some of them`,
      { region, tier, missing, offeredOfSameSize },
    );
  }
}

/** The configured prover id is not the signer key's address: quotes and proofs would not bind it. */
export class SignerAddressMismatchError extends ProverBurstError {
  override name = 'SignerAddressMismatchError';
  constructor(
    readonly keyId: string,
    readonly proverId: string,
    readonly address: string,
  ) {
    super(`proverId is ${proverId} but KMS key ${keyId} signs as ${address}: set proverId to ${address} or use the key of ${proverId}`, {
      keyId,
      proverId,
      address,
    });
  }
}

/** A function's environment could exceed Lambda's limit once its references are deployed (too many queue lanes, say). */
export class LambdaEnvironmentTooLargeError extends ProverBurstError {
  override name = 'LambdaEnvironmentTooLargeError';
  constructor(
    readonly functionPath: string,
    readonly bytes: number,
    readonly maxBytes: number,
  ) {
    super(
      `${functionPath}'s environment can take ${bytes} bytes once deployed, above Lambda's ${maxBytes}: use fewer queue lanes (queueLaneSlackSeconds), a shorter stack name, or fewer functionEnvironment variables`,
      { functionPath, bytes, maxBytes },
    );
  }
}
