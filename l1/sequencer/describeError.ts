import { BaseError, ContractFunctionRevertedError } from 'viem';

/** A one-line reason for a log: the contract's error and arguments when a call reverted, else the short message. */
export function describeError(error: unknown): string {
  if (!(error instanceof BaseError)) return error instanceof Error ? error.message : String(error);
  const reverted = error.walk((cause) => cause instanceof ContractFunctionRevertedError);
  if (reverted instanceof ContractFunctionRevertedError && reverted.data) {
    return `${reverted.data.errorName}(${(reverted.data.args ?? []).map(String).join(', ')})`;
  }
  return error.shortMessage;
}
