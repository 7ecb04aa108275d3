/** Base of every error prover-burst raises on purpose; `details` carries the offending value. */
export class ProverBurstError extends Error {
  override name = 'ProverBurstError';
  readonly details: Readonly<Record<string, unknown>>;

  constructor(message: string, details: Record<string, unknown> = {}) {
    super(message);
    this.details = details;
  }
}
