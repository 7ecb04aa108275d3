import { InvalidTxsMixError } from '../errors/index.js';

/** Block sizes a stream draws from: each size with its probability (they add up to 1). */
export type TxsMix = readonly { readonly txs: number; readonly probability: number }[];

/** Parses `4096` (every block that size) or `1024:0.6,4096:0.3,16384:0.1` (txs:weight pairs; weights normalised). */
export function parseTxsMix(spec: string): TxsMix {
  const text = spec.trim();
  if (/^\d+$/.test(text)) {
    const txs = Number(text);
    if (txs < 1) throw new InvalidTxsMixError(spec, 'a block has at least one tx');
    return [{ txs, probability: 1 }];
  }
  const pairs = text.split(',').map((pair) => {
    const match = /^\s*(\d+)\s*:\s*(\d*\.?\d+(?:e-?\d+)?)\s*$/.exec(pair);
    if (!match) throw new InvalidTxsMixError(spec, `"${pair}" is not txs:weight`);
    const txs = Number(match[1]);
    if (txs < 1) throw new InvalidTxsMixError(spec, `"${pair}": a block has at least one tx`);
    return { txs, weight: Number(match[2]) };
  });
  const total = pairs.reduce((sum, pair) => sum + pair.weight, 0);
  if (!(total > 0)) throw new InvalidTxsMixError(spec, 'weights must add up to more than 0');
  if (new Set(pairs.map((pair) => pair.txs)).size !== pairs.length) throw new InvalidTxsMixError(spec, 'a block size is listed twice');
  return pairs.map((pair) => ({ txs: pair.txs, probability: pair.weight / total }));
}

/** One block size drawn from the mix with `random` (uniform in [0, 1)). */
export function drawTxs(mix: TxsMix, random: () => number): number {
  let draw = random();
  for (const { txs, probability } of mix) {
    draw -= probability;
    if (draw < 0) return txs;
  }
  return mix[mix.length - 1]!.txs;
}

/** The mean block size of the mix. */
export function meanTxs(mix: TxsMix): number {
  return mix.reduce((total, { txs, probability }) => total + txs * probability, 0);
}

/** The mix as `prover-burst simulate --txs` takes it. */
export function formatTxsMix(mix: TxsMix): string {
  return mix.length === 1 ? String(mix[0]!.txs) : mix.map(({ txs, probability }) => `${txs}:${Number(probability.toFixed(4))}`).join(',');
}
