import type { CriticalPathShape } from '../scale/workWindow.js';
import type { Tier } from '../tiers.js';

/**
 * A block we signed a quote for, as quoting remembers it: committed work the fleet may owe before its run exists
 * (the sequencer commits to the quote during the commit phase, the watcher then starts the run, and the scaler
 * publishes its work a tick later), and the shape of its work once it runs.
 */
export interface SignedQuoteDemand {
  /** The run id the block will have (`runIdFor`), so the scaler's published work for it replaces the quote. */
  readonly key: string;
  /** L1 seconds: when its work can start (commitment and provisioning). */
  readonly startsAt: number;
  /** L1 seconds: its proving deadline. */
  readonly deadline: number;
  /** L1 seconds: the quote's `validUntil`; a quote not taken by then binds nothing. */
  readonly validUntil: number;
  /** Expected job-seconds per tier (wall seconds). */
  readonly workSeconds: Readonly<Record<Tier, number>>;
  readonly shape: CriticalPathShape;
}

/**
 * The quotes this firm has signed, across quote function instances: each one quoted is recorded before it is
 * signed, and read back by every later quote until its block's deadline.
 */
export interface SignedQuotes {
  /** Records a quote (a quote for the same key replaces it). */
  record(quote: SignedQuoteDemand): Promise<void>;
  /** Every recorded quote whose deadline is after `nowSeconds`. */
  list(nowSeconds: number): Promise<SignedQuoteDemand[]>;
}
