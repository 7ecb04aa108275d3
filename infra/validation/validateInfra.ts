// `npm run validate:infra`: synthesizes the app as `cdk synth` does and runs the outside validators on it — cfn-lint
// with the serverless rules and checkov on the template, asl-validator on the block-run state machine. Every finding
// must be fixed or acknowledged next to the resource with its reason (infra/constructs/validatorFindings.ts); any other
// fails the run. Offline once .tools/validators exists (package.json's validate:infra creates it from PyPI).
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createProverBurstApp } from '../proverBurstApp.js';
import { REPO_ROOT } from '../repoRoot.js';
import { validateAsl } from './aslValidator.js';
import { renderDefinition } from './renderDefinition.js';

const TOOLS = join(REPO_ROOT, '.tools', 'validators', 'bin');

interface Template {
  readonly Resources: Record<string, { readonly Type: string; readonly Properties?: Record<string, unknown>; readonly Metadata?: Record<string, unknown> }>;
}

/** One validator's verdict: what it found that nobody acknowledged, and how long it took. */
interface Verdict {
  readonly tool: string;
  readonly problems: readonly string[];
  readonly acknowledged: number;
  readonly seconds: number;
}

function timed(tool: string, run: () => { problems: string[]; acknowledged: number }): Verdict {
  const started = performance.now();
  const result = run();
  return { tool, ...result, seconds: (performance.now() - started) / 1000 };
}

/** cfn-lint 1.x with cfn-lint-serverless: exit bits 2 (error), 4 (warning), 8 (informational); JSON findings on stdout. */
function cfnLint(templateFile: string, template: Template): { problems: string[]; acknowledged: number } {
  const run = spawnSync(join(TOOLS, 'cfn-lint'), ['--format', 'json', '--append-rules', 'cfn_lint_serverless.rules', '--', templateFile], { encoding: 'utf8', cwd: REPO_ROOT });
  if (run.status === null || (run.status & 1) === 1 || !run.stdout.trim().startsWith('[')) throw new Error(`cfn-lint did not run: ${run.stderr || run.stdout}`);
  const findings = JSON.parse(run.stdout) as { Level: string; Message: string; Rule: { Id: string }; Location: { Path: (string | number)[] } }[];
  const acknowledged = Object.values(template.Resources).reduce((sum, resource) => sum + (((resource.Metadata?.['cfn-lint'] as { config?: { ignore_checks?: string[] } })?.config?.ignore_checks?.length) ?? 0), 0);
  return { problems: findings.map((finding) => `${finding.Level} ${finding.Rule.Id} at ${finding.Location.Path.slice(0, 2).join('/')}: ${finding.Message}`), acknowledged };
}

/** checkov on the CloudFormation template; a check skipped in a resource's Metadata must say why. */
function checkov(templateFile: string): { problems: string[]; acknowledged: number } {
  const run = spawnSync(join(TOOLS, 'checkov'), ['--file', templateFile, '--framework', 'cloudformation', '--output', 'json', '--compact', '--skip-download'], {
    encoding: 'utf8',
    cwd: REPO_ROOT,
    env: { ...process.env, BC_SKIP_MAPPING: 'TRUE', CHECKOV_RUN_SCA_PACKAGE_SCAN_V2: 'false', LOG_LEVEL: 'WARNING' },
    maxBuffer: 64 * 1024 * 1024,
  });
  const start = run.stdout.indexOf('{');
  if (run.status === null || run.status > 1 || start < 0) throw new Error(`checkov did not run: ${run.stderr || run.stdout}`);
  const report = JSON.parse(run.stdout.slice(start)) as {
    results: {
      failed_checks?: { check_id: string; check_name: string; resource: string }[];
      skipped_checks?: { check_id: string; resource: string; check_result: { suppress_comment?: string } }[];
    };
    summary: { parsing_errors: number; resource_count: number };
  };
  if (report.summary.parsing_errors > 0 || report.summary.resource_count === 0) throw new Error(`checkov could not read ${templateFile}`);
  const { failed_checks: failed = [], skipped_checks: skipped = [] } = report.results;
  const unexplained = skipped.filter((check) => (check.check_result.suppress_comment ?? '').trim().length < 20);
  return {
    problems: [
      ...failed.map((check) => `FAILED ${check.check_id} on ${check.resource}: ${check.check_name}`),
      ...unexplained.map((check) => `SKIPPED ${check.check_id} on ${check.resource} without a reason`),
    ],
    acknowledged: skipped.length,
  };
}

/** asl-validator on every state machine's definition, its intrinsics rendered (renderDefinition). */
function asl(template: Template): { problems: string[]; acknowledged: number } {
  const machines = Object.entries(template.Resources).filter(([, resource]) => resource.Type === 'AWS::StepFunctions::StateMachine');
  if (machines.length === 0) throw new Error('the template has no state machine to validate');
  const problems = machines.flatMap(([id, machine]) => {
    const { isValid, errorsText } = validateAsl(renderDefinition(machine.Properties?.DefinitionString));
    return isValid ? [] : [`${id}: ${errorsText('; ')}`];
  });
  return { problems, acknowledged: 0 };
}

const outdir = mkdtempSync(join(tmpdir(), 'prover-burst-validate-'));
try {
  const synthStarted = performance.now();
  const read = (file: string) => JSON.parse(readFileSync(join(REPO_ROOT, file), 'utf8')) as Record<string, unknown>;
  // The example deployment of cdk.json (us-east-1, its availability zones cached in cdk.context.json); the functions'
  // code is not bundled: the validators read the template, not the code.
  const { app, stack } = createProverBurstApp({
    outdir,
    context: {
      ...read('cdk.context.json'),
      ...(read('cdk.json').context as Record<string, unknown>),
      account: '123456789012',
      region: 'us-east-1',
      rollupAddress: '0x5FbDB2315678afecb367f032d93F642f64180aa3',
      'aws:cdk:bundling-stacks': [],
    },
  });
  app.synth();
  const templateFile = join(outdir, stack.templateFile);
  const template = JSON.parse(readFileSync(templateFile, 'utf8')) as Template;
  const synthSeconds = (performance.now() - synthStarted) / 1000;
  const version = (tool: string) => execFileSync(join(TOOLS, tool), ['--version'], { encoding: 'utf8' }).trim().split('\n').at(-1);

  const verdicts = [
    timed(`${version('cfn-lint')} + cfn-lint-serverless`, () => cfnLint(templateFile, template)),
    timed(`checkov ${version('checkov')}`, () => checkov(templateFile)),
    timed('asl-validator 4.0.0', () => asl(template)),
  ];
  process.stdout.write(`synthesized ${Object.keys(template.Resources).length} resources in ${synthSeconds.toFixed(1)} s\n`);
  for (const verdict of verdicts) {
    process.stdout.write(`${verdict.tool}: ${verdict.problems.length === 0 ? 'clean' : `${verdict.problems.length} unacknowledged`} (${verdict.acknowledged} acknowledged in code) in ${verdict.seconds.toFixed(1)} s\n`);
    for (const problem of verdict.problems) process.stdout.write(`  ${problem}\n`);
  }
  if (verdicts.some((verdict) => verdict.problems.length > 0)) process.exitCode = 1;
} finally {
  rmSync(outdir, { recursive: true, force: true });
}
