import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IgnoreStrategy } from 'aws-cdk-lib';
import type { Metafile } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';
import { bundleAgent } from '../../batch-images/bundleAgent.mjs';
import { agentImageContext } from '../../infra/constructs/batchAgentTier.js';
import { REPO_ROOT } from '../../infra/repoRoot.js';
import { SPOT_NOTICE_SIGNAL } from '../../batch-images/agent/spotNoticeSignal.js';

/**
 * How tini reports node killed by Spot's notice signal: 128 + its number in the image, Linux's (SIGUSR2 is 12 on x86-64
 * and arm64), not the host's — `os.constants` follows the machine running the test (SIGUSR2 is 31 on macOS).
 */
const LINUX_SIGNAL_NUMBERS: Readonly<Record<string, number>> = { SIGUSR2: 12 };
const NOTICE_DEATH_STATUS = 128 + LINUX_SIGNAL_NUMBERS[SPOT_NOTICE_SIGNAL]!;
const dockerfile = readFileSync(join(REPO_ROOT, 'batch-images/Dockerfile'), 'utf8');
/** The Dockerfile's instructions, continuation lines joined, comments dropped. */
const instructions = dockerfile
  .replace(/\\\n\s*/g, ' ')
  .split('\n')
  .map((line) => line.trim())
  .filter((line) => line.length > 0 && !line.startsWith('#'));

/**
 * An agent environment that starts (the simulated prover) and could reach no AWS: every endpoint is a closed local
 * port, so an agent that polled anyway would log its failures instead of exiting.
 */
const RUNNABLE_AGENT_ENV = {
  PATH: process.env.PATH,
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'test',
  AWS_SECRET_ACCESS_KEY: 'test',
  AWS_ENDPOINT_URL: 'http://127.0.0.1:9',
  AGENT_ID: 'noticed-while-loading',
  AGENT_TIER: 'light',
  PROVER_BACKEND: 'simulated',
  PROVER_DEV_PRIVATE_KEY: `0x${'11'.repeat(32)}`,
  JOB_TABLE_NAME: 'jobs',
  ARTIFACT_BUCKET: 'artifacts',
  HEAVY_QUEUE_URL: 'http://127.0.0.1:9/000000000000/heavy',
  LIGHT_QUEUE_URL: 'http://127.0.0.1:9/000000000000/light',
};

/** `entry` and every module of the repository it imports, directly or not, by the bundle's metafile. */
function importedFrom(metafile: Metafile, entry: string): Set<string> {
  const found = new Set<string>();
  const visit = (path: string) => {
    if (found.has(path)) return;
    found.add(path);
    for (const imported of metafile.inputs[path]?.imports ?? []) if (!imported.external) visit(imported.path);
  };
  visit(entry);
  return found;
}

/**
 * The modules of an esbuild bundle whose code runs where it stands, in the order it runs, with where each starts.
 * esbuild heads each module with a `// <path>` line; a module wrapped in `__esm` or `__commonJS` (its body keyed by
 * its path) runs only when first required, from code that runs in its place.
 */
function evaluatedSections(bundle: string): { path: string; at: number }[] {
  const sections = [...bundle.matchAll(/^\/\/ ([\w@.\-/]+\.(?:[cm]?js|ts|json))$/gm)];
  return sections
    .map((section, i) => ({ path: section[1]!, at: section.index, body: bundle.slice(section.index, sections[i + 1]?.index ?? bundle.length) }))
    .filter((section) => !section.body.includes(`${JSON.stringify(section.path)}(`))
    .map(({ path, at }) => ({ path, at }));
}

/**
 * The agent image cannot be built here (no Docker engine), so the parts that can break are checked without it: the
 * bundle its build stage makes (the same script) starts, the build context holds every file that bundle needs, and
 * the runtime stage is what Batch expects. `npm run lint:dockerfile` runs hadolint.
 */
describe('the agent image (batch-images/Dockerfile)', () => {
  let outdir: string;
  let inputs: string[];
  let metafile: Metafile;
  beforeAll(async () => {
    outdir = mkdtempSync(join(tmpdir(), 'prover-burst-agent-'));
    metafile = await bundleAgent(join(outdir, 'agent.mjs'));
    inputs = Object.keys(metafile.inputs).filter((input) => !input.startsWith('node_modules/'));
  });

  it('bundles the agent into one ES module that plain node starts (and refuses an empty environment by name)', () => {
    const run = spawnSync(process.execPath, [join(outdir, 'agent.mjs')], { encoding: 'utf8', env: { PATH: process.env.PATH }, timeout: 20_000 });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('ConfigError');
    expect(run.stderr).toMatch(/AGENT_TIER.*PROVER_BACKEND|PROVER_BACKEND.*AGENT_TIER/);
  });

  it("survives Spot's notice sent while the bundle's modules load, then takes no job and exits 0", () => {
    // The notice is sent just before the first module other than the signals module (and what it imports) is
    // evaluated: zod, the AWS SDK and the agent itself load after it. Node's default action for SIGUSR2 is to exit.
    const early = importedFrom(metafile, 'batch-images/agent/listenAtStart.ts');
    const bundle = readFileSync(join(outdir, 'agent.mjs'), 'utf8');
    const next = evaluatedSections(bundle).find((section) => !early.has(section.path));
    expect(next?.path).not.toBe('batch-images/agent/main.ts');
    const noticed = join(outdir, 'noticed-while-loading.mjs');
    writeFileSync(noticed, `${bundle.slice(0, next!.at)}process.kill(process.pid, '${SPOT_NOTICE_SIGNAL}');\n${bundle.slice(next!.at)}`);
    const run = spawnSync(process.execPath, [noticed], { encoding: 'utf8', env: RUNNABLE_AGENT_ENV, timeout: 60_000 });
    expect({ signal: run.signal, status: run.status }).toEqual({ signal: null, status: 0 });
    const logged = `${run.stdout}\n${run.stderr}`.split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(logged.filter((line) => line.level === 'ERROR')).toEqual([]);
    expect(logged.find((line) => line.message === 'agent exiting')).toMatchObject({ exit: 'stopped', counts: { proving: 0, proved: 0, failed: 0, returned: 0, skipped: 0 } });
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

  it("runs the agent as a non-root user under tini, so SIGTERM and SIGUSR2 (Spot's notice) reach node, and a notice that kills node before its listener exists exits 0", () => {
    // tini reports a child killed by signal N as 128 + N and turns each code given with -e into 0 (krallin/tini
    // src/tini.c, reap_zombies). The Dockerfile cannot import SPOT_NOTICE_SIGNAL, so its -e is pinned to it here.
    const runtime = instructions.slice(instructions.findIndex((line) => line.endsWith('AS runtime')));
    const user = runtime.filter((line) => line.startsWith('USER ')).at(-1);
    expect(user).toBe('USER 1000:1000');
    expect(runtime.at(-1)).toBe(`ENTRYPOINT ["/usr/bin/tini", "-e", "${NOTICE_DEATH_STATUS}", "--", "node", "/app/agent.mjs"]`);
    expect(runtime.some((line) => /apt-get install .*\btini=/.test(line))).toBe(true);
  });

  const hadolint = join(REPO_ROOT, '.tools/hadolint/bin/hadolint');
  it.skipIf(spawnSync(hadolint, ['--version']).error !== undefined)('hadolint finds nothing, down to style (npm run lint:dockerfile installs it)', () => {
    expect(execFileSync(hadolint, ['--failure-threshold', 'style', 'batch-images/Dockerfile'], { cwd: REPO_ROOT, encoding: 'utf8' })).toBe('');
  });
});
