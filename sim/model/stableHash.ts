/** FNV-1a over a string: a stable 32-bit key for a job id or a seed. */
export function hashText(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** A uniform in (0, 1) that depends only on three integers, so any code path asking for the same draw gets it. */
export function uniformAt(a: number, b: number, c: number): number {
  let h = Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(b + 0x7f4a7c15, 0xc2b2ae35) ^ Math.imul(c + 0x165667b1, 0x27d4eb2f);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return ((h >>> 0) + 0.5) / 4294967296;
}

/**
 * A short stream of uniforms owned by one thing (an agent, an instance, one idle spell): the same key gives the same
 * draws however the simulation interleaves its events, so two engines that order simultaneous events differently
 * still draw identically.
 */
export function keyedStream(seedKey: number, owner: number, purpose: number): () => number {
  let i = 0;
  return () => uniformAt(seedKey, owner, purpose * 64 + i++);
}
