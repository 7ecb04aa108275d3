import type { Address } from 'viem';
import { ProverBurstError } from '../../../core/errors/base.js';
import type { Tier } from '../../../core/tiers.js';

/** A process that must sign L1 transactions or quotes was not given the KMS key. */
export class SignerNotConfiguredError extends ProverBurstError {
  override name = 'SignerNotConfiguredError';
  constructor(readonly service: string) {
    super(`${service} signs on L1 but SIGNER_KMS_KEY_ID is not set`, { service });
  }
}

/** The environment does not hold a valid configuration; names every bad variable and what it held. */
export class ConfigError extends ProverBurstError {
  override name = 'ConfigError';
  constructor(readonly problems: readonly { readonly variable: string; readonly problem: string; readonly value: unknown }[]) {
    super(
      `invalid configuration: ${problems.map((p) => `${p.variable} ${p.problem} (got ${JSON.stringify(p.value) ?? 'nothing'})`).join('; ')}`,
      { problems },
    );
  }
}

/** The RPC secret holds neither a URL nor JSON with a `url`. */
export class RpcSecretError extends ProverBurstError {
  override name = 'RpcSecretError';
  constructor(readonly secretArn: string) {
    super(`secret ${secretArn} holds no L1 RPC URL (expected a URL, or JSON with a "url" field)`, { secretArn });
  }
}

/** This process was not given Batch job queues and definitions, so it cannot start agents. */
export class CapacityNotConfiguredError extends ProverBurstError {
  override name = 'CapacityNotConfiguredError';
  constructor(readonly tier: Tier) {
    super(`cannot start ${tier} agents: set ${tier.toUpperCase()}_JOB_QUEUE and ${tier.toUpperCase()}_JOB_DEFINITION`, { tier });
  }
}

/** Something tried to sign with an account that was built only to read. */
export class ReadOnlyAccountError extends ProverBurstError {
  override name = 'ReadOnlyAccountError';
  constructor(readonly address: Address) {
    super(`account ${address} is read-only here: this process holds no signing key`, { address });
  }
}

/** A block-run state was invoked with an event it does not understand. */
export class InvalidStepEventError extends ProverBurstError {
  override name = 'InvalidStepEventError';
  constructor(
    readonly handler: string,
    readonly problem: string,
    readonly event: unknown,
  ) {
    super(`${handler}: invalid event: ${problem}`, { handler, problem, event });
  }
}
