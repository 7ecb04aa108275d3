/** A deterministic source of numbers in [0, 1); the same seed always gives the same sequence. */
export type SeededRandom = () => number;

/** Creates a seeded generator (FNV-1a over the seed text, then mulberry32). */
export function seededRandom(seed: string | number): SeededRandom {
  let state = fnv1a(String(seed));
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}
