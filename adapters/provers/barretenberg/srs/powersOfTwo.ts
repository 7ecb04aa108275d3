import { openSync, closeSync, writeSync } from 'node:fs';
import { bn254 } from '@noble/curves/bn254';

/** BN254's base field modulus. */
const P = bn254.fields.Fp.ORDER;
/** BN254's group order (the scalar field). */
const R = bn254.fields.Fr.ORDER;
/** Points normalised to affine together: one field inversion serves them all (Montgomery's trick). */
const BATCH = 1 << 15;

/**
 * Writes the development SRS's G1 points `first … first + count − 1` into `file` at their offsets: point i is
 * 2^i·G, since τ = 2. Each point is one doubling of the one before (Jacobian coordinates, a = 0), so the whole
 * 2^21-point SRS costs 2^21 doublings and batched inversions instead of 2^21 scalar multiplications.
 */
export function writePowersOfTwo(file: string, first: number, count: number): void {
  const start = bn254.G1.ProjectivePoint.BASE.multiply(modPow(2n, BigInt(first), R)).toAffine();
  let x = start.x;
  let y = start.y;
  let z = 1n;
  const xs = new Array<bigint>(BATCH);
  const ys = new Array<bigint>(BATCH);
  const zs = new Array<bigint>(BATCH);
  const prefix = new Array<bigint>(BATCH);
  const out = Buffer.alloc(BATCH * 64);
  const fd = openSync(file, 'r+');
  try {
    for (let done = 0; done < count; ) {
      const n = Math.min(BATCH, count - done);
      let product = 1n;
      for (let i = 0; i < n; i++) {
        xs[i] = x;
        ys[i] = y;
        zs[i] = z;
        prefix[i] = product;
        product = (product * z) % P;
        // dbl-2009-l
        const a = (x * x) % P;
        const b = (y * y) % P;
        const c = (b * b) % P;
        const xb = x + b;
        const d = (2n * (xb * xb - a - c)) % P;
        const e = (3n * a) % P;
        const x3 = (((e * e) % P) - 2n * d) % P;
        const y3 = (e * (d - x3) - 8n * c) % P;
        z = (2n * y * z) % P;
        x = x3 < 0n ? x3 + P : x3;
        y = y3 < 0n ? y3 + P : y3;
      }
      let inverse = modPow(product, P - 2n, P);
      for (let i = n - 1; i >= 0; i--) {
        const zInverse = (inverse * prefix[i]!) % P;
        inverse = (inverse * zs[i]!) % P;
        const zInverse2 = (zInverse * zInverse) % P;
        out.write(((xs[i]! * zInverse2) % P).toString(16).padStart(64, '0'), i * 64, 'hex');
        out.write(((((ys[i]! * zInverse2) % P) * zInverse) % P).toString(16).padStart(64, '0'), i * 64 + 32, 'hex');
      }
      writeSync(fd, out, 0, n * 64, (first + done) * 64);
      done += n;
    }
  } finally {
    closeSync(fd);
  }
}

function modPow(base: bigint, exponent: bigint, modulus: bigint): bigint {
  let result = 1n;
  let b = base % modulus;
  for (let e = exponent; e > 0n; e >>= 1n) {
    if (e & 1n) result = (result * b) % modulus;
    b = (b * b) % modulus;
  }
  return result;
}
