import { BaseError, ContractFunctionRevertedError, decodeErrorResult, type Abi, type Hex } from 'viem';
import { expect } from 'vitest';

/**
 * Asserts that `call` fails with the contract's custom error `errorName` and, when given, exactly these arguments.
 * Contract calls come decoded by viem; for a deployment (which viem does not decode) pass the contract's `abi`.
 */
export async function expectRevert(
  call: Promise<unknown>,
  errorName: string,
  args?: readonly unknown[],
  abi?: Abi,
): Promise<void> {
  const error = await call.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error, `expected ${errorName}, but the call succeeded`).toBeInstanceOf(BaseError);
  const decoded = revertOf(error as BaseError, abi);
  expect(decoded, `expected ${errorName}, got ${(error as Error).message}`).toBeDefined();
  expect(decoded?.errorName).toBe(errorName);
  if (args) expect(decoded?.args).toEqual(args);
}

function revertOf(error: BaseError, abi: Abi | undefined): { errorName: string; args?: readonly unknown[] } | undefined {
  const reverted = error.walk((cause) => cause instanceof ContractFunctionRevertedError);
  if (reverted instanceof ContractFunctionRevertedError) return reverted.data;
  const raw = error.walk((cause) => typeof (cause as { data?: unknown }).data === 'string') as { data?: Hex } | null;
  if (!abi || !raw?.data) return undefined;
  return decodeErrorResult({ abi, data: raw.data });
}
