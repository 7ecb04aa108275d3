/** Bundles batch-images/agent/main.ts into one ES module at `outfile`; resolves with esbuild's metafile. */
export function bundleAgent(outfile: string): Promise<{ readonly inputs: Readonly<Record<string, unknown>> }>;
