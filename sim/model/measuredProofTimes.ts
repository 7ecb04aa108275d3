import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { SimModelError } from '../errors/index.js';

const realProofs = z.object({
  kinds: z.record(z.string(), z.object({ proveSeconds: z.object({ median: z.number().positive() }) })),
});

/**
 * Median prove seconds per kind from a `bench:proofs` result (bench/results/real-proofs.json): the figures a
 * simulation or a quote takes as the profile's durations. They were measured on the machine that ran the benchmark.
 */
export function readMeasuredProofTimes(path: string): Record<string, number> {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new SimModelError(path, `cannot be read as JSON (${(error as Error).message})`);
  }
  const parsed = realProofs.safeParse(json);
  if (!parsed.success) throw new SimModelError(path, 'is not a bench:proofs result (kinds.<kind>.proveSeconds.median)');
  return Object.fromEntries(Object.entries(parsed.data.kinds).map(([kind, figures]) => [kind, figures.proveSeconds.median]));
}
