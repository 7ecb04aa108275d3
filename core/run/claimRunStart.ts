import type { BlockRunRequest } from '../ports/blockRunDriver.js';
import { reviveRun } from './reviveRun.js';
import type { RunRevivingDependencies } from './runDependencies.js';

/**
 * The start rule both drivers apply before walking a run: a run the store does not hold starts; one it holds
 * starts again only if it was abandoned for an orphaned reveal and this request re-reveals the same body (it is
 * revived, keeping its finished proofs, on the deployment's time scale). Any other start is a duplicate: false.
 */
export async function claimRunStart(deps: RunRevivingDependencies, request: BlockRunRequest, secondsPerExpectedSecond: number): Promise<boolean> {
  const existing = await deps.store.getRun(request.runId);
  return existing === null || (await reviveRun(deps, request, existing, secondsPerExpectedSecond)) !== null;
}
