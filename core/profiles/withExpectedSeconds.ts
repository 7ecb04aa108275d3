import type { CircuitProfile } from './circuitProfile.js';
import { InvalidProofDurationsError } from '../errors/profile.js';

/**
 * The profile with measured durations in place of its expectations (seconds per kind, e.g. the medians
 * `npm run bench:proofs` records), so the planner's critical path, the quotes' cost and the simulator follow them.
 */
export function withExpectedSeconds(profile: CircuitProfile, seconds: Readonly<Record<string, number>>): CircuitProfile {
  const kinds = { ...profile.kinds };
  for (const [kind, value] of Object.entries(seconds)) {
    const spec = kinds[kind];
    if (!spec) throw new InvalidProofDurationsError(`${profile.name} has no job kind "${kind}"`, { kind, kinds: Object.keys(kinds) });
    if (!(value > 0)) throw new InvalidProofDurationsError(`a ${kind} proof must take some time, got ${value} s`, { kind, value });
    kinds[kind] = { ...spec, expectedSeconds: value };
  }
  return { ...profile, kinds };
}
