import { UnknownCircuitProfileError } from '../errors/index.js';
import { aztecV5 } from './aztecV5.js';
import type { CircuitProfile } from './circuitProfile.js';
import { noirTree } from './noirTree.js';
import { rfp2023 } from './rfp2023.js';

export const CIRCUIT_PROFILES: Readonly<Record<string, CircuitProfile>> = {
  [rfp2023.name]: rfp2023,
  [aztecV5.name]: aztecV5,
  [noirTree.name]: noirTree,
};

export const DEFAULT_CIRCUIT_PROFILE = rfp2023.name;

/** Looks a profile up by name; throws `UnknownCircuitProfileError` for a name nobody registered. */
export function getCircuitProfile(name: string = DEFAULT_CIRCUIT_PROFILE): CircuitProfile {
  const profile = Object.hasOwn(CIRCUIT_PROFILES, name) ? CIRCUIT_PROFILES[name] : undefined;
  if (!profile) throw new UnknownCircuitProfileError(name, Object.keys(CIRCUIT_PROFILES));
  return profile;
}
