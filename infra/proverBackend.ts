import { Duration } from 'aws-cdk-lib';

/** What the agents prove with: the SIMULATED prover (attests roots with the signer key), or a real prover binary. */
export abstract class ProverBackend {
  /**
   * The SIMULATED prover: it proves nothing. Each "proof" is a digest produced after the job's expected duration; the
   * root's "proof" is an ECDSA attestation by the signer KMS key, which only the DevelopmentAttestationVerifier accepts.
   */
  static simulated(options: SimulatedProverOptions = {}): ProverBackend {
    return new SimulatedKmsBackend(options.timeScale ?? 1);
  }

  /**
   * A real prover baked into the agent image: `command` runs once per job with the job directory as its last argument
   * and must write `proof.bin` there (adapters/provers/commandProver.ts).
   */
  static command(command: readonly string[], options: CommandProverOptions = {}): ProverBackend {
    if (command.length === 0 || command.some((part) => part.length === 0)) throw new Error('the prover command needs an executable');
    return new CommandBackend(command, options.proverImage, options.timeout ?? Duration.hours(1));
  }

  /**
   * Real noir-tree proofs with Barretenberg (bb from @aztec/bb.js, in the agent image): each agent fetches Aztec's
   * Ignition points on its first start (digest-checked) and builds the circuits. Use with `circuitProfile: 'noir-tree'`
   * and an L1 whose verifier is the Ignition build of the noir-tree root verifier (docs/real-proofs.md).
   */
  static barretenberg(options: { readonly timeout?: Duration } = {}): ProverBackend {
    return new BarretenbergBackend(options.timeout ?? Duration.hours(1));
  }

  /** The agent's PROVER_BACKEND. */
  abstract readonly kind: 'simulated-kms' | 'command' | 'barretenberg';
  /** True when proofs prove nothing; outputs and logs say SIMULATED. */
  abstract readonly simulated: boolean;
  /** Wall seconds per expected second of proving, which the scaler sizes capacity with (EXPECTED_SECOND_SCALE). */
  abstract readonly secondsPerExpectedSecond: number;
  /** The agent container's variables for this backend (the attester key is added by the construct). */
  abstract environment(): Record<string, string>;
  /** Docker build arguments of the agent image. */
  abstract buildArgs(): Record<string, string>;
  /** One line for outputs and the README. */
  abstract describe(): string;
}

export interface SimulatedProverOptions {
  /**
   * A simulated proof takes its profile's expected duration times this (0: instant). The scaler is told the same
   * scale (EXPECTED_SECOND_SCALE), so it sizes capacity for the proofs it will really see.
   * @default 1
   */
  readonly timeScale?: number;
}

export interface CommandProverOptions {
  /**
   * An image holding the prover under /opt/prover; the agent image copies that directory in (build argument
   * PROVER_IMAGE of batch-images/Dockerfile).
   * @default no prover files: the command must already be on the agent image
   */
  readonly proverImage?: string;
  /**
   * How long one proof may take before the prover is killed and the attempt counts as a failure.
   * @default Duration.hours(1)
   */
  readonly timeout?: Duration;
}

class SimulatedKmsBackend extends ProverBackend {
  readonly kind = 'simulated-kms';
  readonly simulated = true;
  constructor(readonly timeScale: number) {
    super();
    if (!(timeScale >= 0)) throw new Error(`the simulated time scale must be 0 or more, got ${timeScale}`);
  }
  get secondsPerExpectedSecond() {
    // An instant simulated proof still takes a request or two; never tell the scaler proofs take no time.
    return Math.max(this.timeScale, 0.001);
  }
  environment() {
    return { PROVER_BACKEND: this.kind, SIMULATED_TIME_SCALE: String(this.timeScale) };
  }
  buildArgs() {
    return {};
  }
  describe() {
    return 'SIMULATED (simulated-kms): proofs prove nothing; only the DevelopmentAttestationVerifier accepts their root attestations';
  }
}

class CommandBackend extends ProverBackend {
  readonly kind = 'command';
  readonly simulated = false;
  readonly secondsPerExpectedSecond = 1;
  constructor(
    readonly command: readonly string[],
    readonly proverImage: string | undefined,
    readonly timeout: Duration,
  ) {
    super();
  }
  environment() {
    return { PROVER_BACKEND: this.kind, PROVER_COMMAND: JSON.stringify(this.command), PROVER_TIMEOUT_MS: String(this.timeout.toMilliseconds()) };
  }
  buildArgs(): Record<string, string> {
    return this.proverImage ? { PROVER_IMAGE: this.proverImage } : {};
  }
  describe() {
    return `command: ${JSON.stringify(this.command)}${this.proverImage ? ` from ${this.proverImage}` : ''}`;
  }
}

class BarretenbergBackend extends ProverBackend {
  readonly kind = 'barretenberg';
  readonly simulated = false;
  readonly secondsPerExpectedSecond = 1;
  constructor(readonly timeout: Duration) {
    super();
  }
  environment() {
    return { PROVER_BACKEND: this.kind, NOIR_TREE_SRS: 'ignition', PROVER_TIMEOUT_MS: String(this.timeout.toMilliseconds()) };
  }
  buildArgs() {
    return {};
  }
  describe() {
    return 'barretenberg: real noir-tree UltraHonk proofs (Ignition SRS, fetched on first start and digest-checked)';
  }
}
