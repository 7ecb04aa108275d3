import { BarretenbergError } from '../errors/proverErrors.js';
import { buildNoirTreeCircuits, type NoirTreeCircuits } from './noirTreeCircuits.js';
import { ensureDevelopmentSrs } from './srs/developmentSrs.js';
import { ensureIgnitionSrs } from './srs/ignitionSrs.js';
import { NOIR_TREE_SRS_POINTS } from './srs/structuredReferenceString.js';

export type SrsKind = 'development' | 'ignition';

export interface NoirTreeSetupOptions {
  readonly cacheDirectory: string;
  /** `development` makes the τ = 2 SRS offline; `ignition` fetches Aztec's genuine points. */
  readonly srs: SrsKind;
  /** @default the bb shipped in @aztec/bb.js for this platform */
  readonly bbBinary?: string;
  /** The Noir sources. @default circuits/noir-tree of this repository */
  readonly sources?: string;
  readonly log?: (message: string) => void;
}

/** Everything a Barretenberg prover needs on this machine: bb, the SRS and the circuits built for it, all cached. */
export interface NoirTreeSetup {
  readonly bbBinary: string;
  readonly circuits: NoirTreeCircuits;
}

/** Finds bb, makes or fetches the SRS and builds the circuits for it (each step once per machine). */
export async function prepareNoirTree(options: NoirTreeSetupOptions): Promise<NoirTreeSetup> {
  // Loaded here, not at the top: an agent image bundles this module but installs bb.js only beside a real prover.
  const bbBinary = options.bbBinary ?? (await import('@aztec/bb.js/platform')).findBbBinary();
  if (!bbBinary) throw new BarretenbergError(`@aztec/bb.js ships no bb for ${process.platform}/${process.arch}`);
  const log = options.log ?? (() => undefined);
  log(options.srs === 'development' ? 'preparing the DEVELOPMENT SRS (τ = 2; made here once, then cached)' : 'fetching the Ignition SRS (once, then cached)');
  const srs =
    options.srs === 'development'
      ? await ensureDevelopmentSrs({ cacheDirectory: options.cacheDirectory, bbBinary })
      : await ensureIgnitionSrs({ cacheDirectory: options.cacheDirectory, points: NOIR_TREE_SRS_POINTS, bbBinary });
  const circuits = await buildNoirTreeCircuits({
    cacheDirectory: options.cacheDirectory,
    srs,
    bbBinary,
    log,
    ...(options.sources ? { sources: options.sources } : {}),
  });
  return { bbBinary, circuits };
}
