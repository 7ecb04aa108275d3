import { InvalidPublicCallSpecError } from '../errors/index.js';
import type { SeededRandom } from '../random/seededRandom.js';

/** How many public calls each synthetic tx makes: a fixed count, or a distribution over counts. */
export type PublicCallSpec =
  | { readonly kind: 'fixed'; readonly calls: number }
  | { readonly kind: 'distribution'; readonly outcomes: readonly { readonly calls: number; readonly probability: number }[] };

/** How far the probabilities of a distribution may sum from 1 (decimal fractions are not exact in binary). */
const PROBABILITY_SUM_TOLERANCE = 1e-9;

/** Parses `2` or `0:0.5,1:0.3,4:0.2` (calls:probability pairs; the probabilities must add up to 1). */
export function parsePublicCallSpec(spec: string): PublicCallSpec {
  const text = spec.trim();
  if (/^\d+$/.test(text)) return { kind: 'fixed', calls: Number(text) };
  const outcomes = text.split(',').map((pair) => {
    const match = /^\s*(\d+)\s*:\s*(\d*\.?\d+(?:e-?\d+)?)\s*$/.exec(pair);
    if (!match) throw new InvalidPublicCallSpecError(spec, `"${pair}" is not calls:probability`);
    return { calls: Number(match[1]), probability: Number(match[2]) };
  });
  const calls = outcomes.map((outcome) => outcome.calls);
  if (new Set(calls).size !== calls.length) throw new InvalidPublicCallSpecError(spec, 'a call count is listed twice');
  const sum = outcomes.reduce((total, outcome) => total + outcome.probability, 0);
  if (!(Math.abs(sum - 1) <= PROBABILITY_SUM_TOLERANCE)) {
    throw new InvalidPublicCallSpecError(spec, `the probabilities add up to ${Number(sum.toPrecision(12))}, not 1`);
  }
  return { kind: 'distribution', outcomes };
}

/** Draws one tx's public-call count from the spec. */
export function samplePublicCalls(spec: PublicCallSpec, random: SeededRandom): number {
  if (spec.kind === 'fixed') return spec.calls;
  let draw = random();
  for (const outcome of spec.outcomes) {
    draw -= outcome.probability;
    if (draw < 0) return outcome.calls;
  }
  return spec.outcomes[spec.outcomes.length - 1]!.calls;
}
