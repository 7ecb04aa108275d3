import type { CostModel } from '../cost/costModel.js';
import type { Address } from '../protocol/types.js';

export interface QuoteSettings {
  readonly proverId: Address;
  readonly profile: string;
  readonly costModel: CostModel;
  /** The bond offered; raised to the protocol minimum for the block's size if lower. */
  readonly bond: bigint;
  /** Wall seconds one expected second of proving takes (the devnet's time scale; 1 in the cloud). */
  readonly secondsPerExpectedSecond: number;
  /** Seconds to have agents running before proving can start. */
  readonly provisioningSeconds: number;
  /** Refuse blocks bigger than this. */
  readonly maxTxs: number;
}
