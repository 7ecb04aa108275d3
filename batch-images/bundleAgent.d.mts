import type { Metafile } from 'esbuild';

/** Bundles batch-images/agent/main.ts into one ES module at `outfile`; resolves with esbuild's metafile. */
export function bundleAgent(outfile: string): Promise<Metafile>;
