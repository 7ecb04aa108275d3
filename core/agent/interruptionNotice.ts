import type { AgentSettings } from './agentSettings.js';

/**
 * How long EC2 gives a Spot instance between its interruption notice and the interruption: "two minutes" (EC2 user
 * guide, "Spot Instance interruption notices",
 * https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/spot-instance-termination-notices.html). Best effort: the notice
 * can come later than that, which `interruptionMarginMs` is for.
 */
export const SPOT_NOTICE_MS = 120_000;

/** What the rule needs of the job in hand when the notice is judged. */
export interface ProofInHand {
  /** The job's expected duration from its plan (its circuit profile). */
  readonly expectedSeconds: number;
  /** How long the agent has been proving it (0: not started yet). */
  readonly provingForMs: number;
  /** How long ago the notice came (0 when judged as it arrives). */
  readonly sinceNoticeMs: number;
}

export type InterruptionSettings = Pick<
  AgentSettings,
  'interruptionNoticeMs' | 'interruptionMarginMs' | 'remainingSafetyFactor' | 'uploadBudgetMs'
>;

/** Finish the proof, handing it back after `handBackInMs` from now should it still run; or hand it back at once. */
export type InterruptionVerdict = { readonly kind: 'finish'; readonly handBackInMs: number } | { readonly kind: 'handBack' };

/**
 * What an agent does with its proof on Spot's interruption notice: `finish` when what is left of it fits before the
 * instance goes, with the latest moment (`handBackInMs` from now) it still hands the job back should the proof run
 * on; otherwise `handBack` at once, as on SIGTERM. Left = (expected − proving so far) × `remainingSafetyFactor` +
 * `uploadBudgetMs` (storing and recording the proof); it fits when it is at most what is left of the notice less
 * `interruptionMarginMs`. A proof already past its expected duration is handed back: how long it still runs is not
 * known. The margin and the factor are parameters (docs/fleet.md).
 */
export function interruptionVerdict(proof: ProofInHand, settings: InterruptionSettings): InterruptionVerdict {
  const expectedMs = proof.expectedSeconds * 1_000;
  const usableMs = settings.interruptionNoticeMs - settings.interruptionMarginMs - proof.sinceNoticeMs;
  if (proof.provingForMs > expectedMs) return { kind: 'handBack' };
  const neededMs = (expectedMs - proof.provingForMs) * settings.remainingSafetyFactor + settings.uploadBudgetMs;
  if (neededMs > usableMs) return { kind: 'handBack' };
  return { kind: 'finish', handBackInMs: usableMs - settings.uploadBudgetMs };
}

/** Spot's interruption notice as an agent holds it: the signal its runtime aborts on the notice, and when it came. */
export interface InterruptionNotice {
  readonly signal: AbortSignal;
  /** When the notice came, on the agent's clock; null until it does. */
  readonly at: number | null;
}

/** Notes when `signal` (the notice) aborts, on `clock`; one listener, which the agent's loop removes as it ends. */
export function watchInterruptionNotice(signal: AbortSignal, clock: { now(): number }): InterruptionNotice & { dispose(): void } {
  let at: number | null = signal.aborted ? clock.now() : null;
  const onNotice = () => (at = clock.now());
  signal.addEventListener('abort', onNotice, { once: true });
  return {
    signal,
    get at() {
      return at;
    },
    dispose: () => signal.removeEventListener('abort', onNotice),
  };
}
