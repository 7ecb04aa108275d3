// Bundles the agent container's entrypoint (batch-images/agent/main.ts and everything it imports) into one ES module
// that plain `node` runs: the Dockerfile's build stage runs this, and test/infra checks the bundle starts.
import { build } from 'esbuild';
import { fileURLToPath, URL } from 'node:url';

const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Writes `outfile` (and its source map); resolves with esbuild's metafile. */
export async function bundleAgent(outfile) {
  const result = await build({
    absWorkingDir: REPO_ROOT,
    entryPoints: ['batch-images/agent/main.ts'],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node22',
    format: 'esm',
    sourcemap: true,
    metafile: true,
    logLevel: 'warning',
    // The Barretenberg backend's packages load wasm and a native bb from their own directories: they stay packages,
    // installed beside the bundle, and are imported only by an agent that proves with them.
    external: ['@noir-lang/*', '@aztec/bb.js', '@aztec/bb.js/*'],
    // Bundled CommonJS dependencies still call require(); ES modules have none of their own.
    banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  });
  return result.metafile;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const outfile = process.argv[2];
  if (!outfile) {
    process.stderr.write('usage: node batch-images/bundleAgent.mjs <outfile.mjs>\n');
    process.exit(2);
  }
  await bundleAgent(outfile);
}
