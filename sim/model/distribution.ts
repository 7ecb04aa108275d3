/** A duration the model draws per event: fixed, uniform, or log-normal (given by its median and log-space spread). */
export type Distribution =
  | { readonly kind: 'fixed'; readonly value: number }
  | { readonly kind: 'uniform'; readonly min: number; readonly max: number }
  | { readonly kind: 'logNormal'; readonly median: number; readonly sigma: number };

/** Shorthand for the model file: a log-normal with this median and spread. */
export function logNormal(median: number, sigma: number): Distribution {
  return { kind: 'logNormal', median, sigma };
}

/** One draw from `distribution` using `random` (uniform in [0, 1)); log-normals use one Box–Muller pair per draw. */
export function sample(distribution: Distribution, random: () => number): number {
  switch (distribution.kind) {
    case 'fixed':
      return distribution.value;
    case 'uniform':
      return distribution.min + (distribution.max - distribution.min) * random();
    case 'logNormal':
      return distribution.median * Math.exp(distribution.sigma * standardNormal(random(), random()));
  }
}

/** A standard normal from two uniforms (Box–Muller); `u1` is kept away from 0 so the log stays finite. */
export function standardNormal(u1: number, u2: number): number {
  return Math.sqrt(-2 * Math.log(Math.max(u1, 1e-12))) * Math.cos(2 * Math.PI * u2);
}

/** The mean of `distribution` (a log-normal's mean sits above its median). */
export function meanOf(distribution: Distribution): number {
  switch (distribution.kind) {
    case 'fixed':
      return distribution.value;
    case 'uniform':
      return (distribution.min + distribution.max) / 2;
    case 'logNormal':
      return distribution.median * Math.exp((distribution.sigma * distribution.sigma) / 2);
  }
}
