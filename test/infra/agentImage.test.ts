import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IgnoreStrategy } from 'aws-cdk-lib';
import { beforeAll, describe, expect, it } from 'vitest';
import { bundleAgent } from '../../batch-images/bundleAgent.mjs';
import { agentImageContext } from '../../infra/constructs/batchAgentTier.js';
import { REPO_ROOT } from '../../infra/repoRoot.js';

const dockerfile = readFileSync(join(REPO_ROOT, 'batch-images/Dockerfile'), 'utf8');
/** The Dockerfile's instructions, continuation lines joined, comments dropped. */
const instructions = dockerfile
  .replace(/\\\n\s*/g, ' ')
  .split('\n')
  .map((line) => line.trim())
  .filter((line) => line.length > 0 && !line.startsWith('#'));

/**
 * The agent image cannot be built here (no Docker engine), so the parts that can break are checked without it: the
 * bundle its build stage makes (the same script) starts, the build context holds every file that bundle needs, and
 * the runtime stage is what Batch expects. `npm run lint:dockerfile` runs hadolint.
 */
describe('the agent image (batch-images/Dockerfile)', () => {
  let outdir: string;
  let inputs: string[];
  beforeAll(async () => {
    outdir = mkdtempSync(join(tmpdir(), 'prover-burst-agent-'));
    const metafile = await bundleAgent(join(outdir, 'agent.mjs'));
    inputs = Object.keys(metafile.inputs).filter((input) => !input.startsWith('node_modules/'));
  });

  it('bundles the agent into one ES module that plain node starts (and refuses an empty environment by name)', () => {
    const run = spawnSync(process.execPath, [join(outdir, 'agent.mjs')], { encoding: 'utf8', env: { PATH: process.env.PATH }, timeout: 20_000 });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('ConfigError');
    expect(run.stderr).toMatch(/AGENT_TIER.*PROVER_BACKEND|PROVER_BACKEND.*AGENT_TIER/);
  });

  it('sends Docker every file the bundle is made of, and no tests, node_modules or infra', () => {
    const context = IgnoreStrategy.docker(REPO_ROOT, agentImageContext());
    expect(inputs.length).toBeGreaterThan(50);
    expect(inputs.filter((input) => context.ignores(join(REPO_ROOT, input)))).toEqual([]);
    for (const kept of ['package.json', 'package-lock.json', 'tsconfig.json', 'batch-images/bundleAgent.mjs', 'batch-images/Dockerfile']) {
      expect({ kept, ignored: context.ignores(join(REPO_ROOT, kept)) }).toEqual({ kept, ignored: false });
    }
    for (const dropped of ['node_modules/viem/package.json', 'infra/app.ts', 'core/tiers.test.ts', 'test/fixtures/toy-prover.mjs', '.git/HEAD', 'cdk.out/manifest.json']) {
      expect({ dropped, ignored: context.ignores(join(REPO_ROOT, dropped)) }).toEqual({ dropped, ignored: true });
    }
  });

  it('bundles with esbuild as a declared dependency: the build stage installs with --omit=dev, and NodejsFunction bundles with it', () => {
    const manifest = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    expect(instructions).toContain('RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund');
    expect(manifest.dependencies.esbuild).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('copies into the build stage exactly the directories the bundle reads from', () => {
    const copied = instructions.filter((line) => /^COPY (?!--from)/.test(line)).flatMap((line) => line.split(/\s+/).slice(1, -1));
    const covered = (input: string) => copied.some((source) => input === source || input.startsWith(`${source.replace(/\/$/, '')}/`));
    expect(inputs.filter((input) => !covered(input))).toEqual([]);
  });

  it('is multi-stage: build, a prover stage a firm can replace, a slim Node 22 runtime', () => {
    const stages = instructions.filter((line) => line.startsWith('FROM ')).map((line) => line.split(/\s+AS\s+/i)[1]);
    expect(stages).toEqual(['build', 'no-prover', 'prover', 'runtime']);
    expect(instructions).toContain('ARG NODE_IMAGE=node:22.20.0-bookworm-slim');
    expect(instructions).toContain('ARG PROVER_IMAGE=no-prover');
    expect(instructions).toContain('COPY --from=prover /opt/prover /opt/prover');
    expect(instructions.some((line) => /:latest\b/.test(line))).toBe(false);
  });

  it('runs the agent as a non-root user under tini, so SIGTERM and SIGUSR2 (Spot\'s notice) reach node', () => {
    const runtime = instructions.slice(instructions.findIndex((line) => line.endsWith('AS runtime')));
    const user = runtime.filter((line) => line.startsWith('USER ')).at(-1);
    expect(user).toBe('USER 1000:1000');
    expect(runtime.at(-1)).toBe('ENTRYPOINT ["/usr/bin/tini", "--", "node", "/app/agent.mjs"]');
    expect(runtime.some((line) => /apt-get install .*\btini=/.test(line))).toBe(true);
  });

  const hadolint = join(REPO_ROOT, '.tools/hadolint/bin/hadolint');
  it.skipIf(spawnSync(hadolint, ['--version']).error !== undefined)('hadolint finds nothing, down to style (npm run lint:dockerfile installs it)', () => {
    expect(execFileSync(hadolint, ['--failure-threshold', 'style', 'batch-images/Dockerfile'], { cwd: REPO_ROOT, encoding: 'utf8' })).toBe('');
  });
});
