import { InvalidPublicCallSpecError } from '../errors/index.js';
import type { SeededRandom } from '../random/seededRandom.js';

/** How many public calls each synthetic tx makes: a fixed count, or a weighted distribution. */
export type PublicCallSpec =
  | { readonly kind: 'fixed'; readonly calls: number }
  | { readonly kind: 'distribution'; readonly outcomes: readonly { readonly calls: number; readonly weight: number }[] };

/** Parses `2` or `0:0.5,1:0.3,4:0.2` (calls:weight pairs; weights are normalised). */
export function parsePublicCallSpec(spec: string): PublicCallSpec {
  const text = spec.trim();
  if (/^\d+$/.test(text)) return { kind: 'fixed', calls: Number(text) };
  const outcomes = text.split(',').map((pair) => {
    const match = /^\s*(\d+)\s*:\s*(\d*\.?\d+(?:e-?\d+)?)\s*$/.exec(pair);
    if (!match) throw new InvalidPublicCallSpecError(spec, `"${pair}" is not calls:weight`);
    return { calls: Number(match[1]), weight: Number(match[2]) };
  });
  const total = outcomes.reduce((sum, outcome) => sum + outcome.weight, 0);
  if (!(total > 0)) throw new InvalidPublicCallSpecError(spec, 'weights must add up to more than 0');
  const calls = outcomes.map((outcome) => outcome.calls);
  if (new Set(calls).size !== calls.length) throw new InvalidPublicCallSpecError(spec, 'a call count is listed twice');
  return { kind: 'distribution', outcomes: outcomes.map((o) => ({ calls: o.calls, weight: o.weight / total })) };
}

/** Draws one tx's public-call count from the spec. */
export function samplePublicCalls(spec: PublicCallSpec, random: SeededRandom): number {
  if (spec.kind === 'fixed') return spec.calls;
  let draw = random();
  for (const outcome of spec.outcomes) {
    draw -= outcome.weight;
    if (draw < 0) return outcome.calls;
  }
  return spec.outcomes[spec.outcomes.length - 1]!.calls;
}
