import { ProverBurstError } from '../core/errors/base.js';

/** solc reported errors or warnings, or did not produce a contract we deploy. */
export class ContractCompilationError extends ProverBurstError {
  override name = 'ContractCompilationError';
  constructor(readonly diagnostics: readonly string[]) {
    super(`contract compilation failed:\n${diagnostics.join('\n')}`, { diagnostics });
  }
}
