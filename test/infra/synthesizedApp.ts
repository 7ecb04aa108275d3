import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import { REPO_ROOT } from '../../infra/repoRoot.js';
import { createProverBurstApp } from '../../infra/proverBurstApp.js';
import type { ProverBurstStack } from '../../infra/proverBurstStack.js';

/** The example deployment of cdk.context.json: its availability zones are cached there, so synth needs no credentials. */
export const EXAMPLE_ENV = { account: '123456789012', region: 'us-east-1' } as const;

export interface SynthesizedApp {
  readonly stack: ProverBurstStack;
  readonly template: Template;
  /** The template as CloudFormation JSON. */
  readonly json: { readonly Resources: Record<string, { readonly Type: string; readonly Properties?: Record<string, unknown> }> };
  /** The cloud assembly directory (assets, the validation report). */
  readonly outdir: string;
  /** cdk-nag's and the annotations' findings, acknowledged ones included (CDK's policy validation report). */
  readonly validationReport: ValidationReport;
}

export interface ValidationReport {
  readonly pluginReports: readonly {
    readonly pluginName: string;
    readonly conclusion: string;
    readonly violations: readonly { readonly ruleName: string; readonly severity?: string; readonly violatingConstructs: readonly { readonly constructPath: string }[] }[];
  }[];
}

/**
 * Synthesizes the CDK app as `npx cdk synth` does (cdk.json's context, cdk-nag on) into a fresh directory, offline:
 * no Docker (the agent image is only staged), no credentials. `bundling: false` skips esbuild for the functions.
 */
export function synthesizeApp(options: { readonly bundling: boolean; readonly context?: Record<string, unknown> }): SynthesizedApp {
  const read = (file: string) => JSON.parse(readFileSync(join(REPO_ROOT, file), 'utf8')) as Record<string, unknown>;
  const outdir = mkdtempSync(join(tmpdir(), 'prover-burst-synth-'));
  // CDK announces each bundle on stderr ("Bundling asset …") while it builds the app: a passing test keeps quiet.
  const stderr = Object.getOwnPropertyDescriptor(process.stderr, 'write');
  const write = process.stderr.write.bind(process.stderr);
  process.stderr.write = (chunk: string | Uint8Array, ...rest: never[]) => String(chunk).startsWith('Bundling asset ') || write(chunk, ...rest);
  let synthesized: ReturnType<typeof createProverBurstApp>;
  try {
    synthesized = createProverBurstApp({
      outdir,
      context: {
        ...read('cdk.context.json'),
        ...(read('cdk.json').context as Record<string, unknown>),
        ...EXAMPLE_ENV,
        ...(options.bundling ? {} : { 'aws:cdk:bundling-stacks': [] }),
        ...options.context,
      },
    });
    synthesized.app.synth();
  } finally {
    if (stderr) Object.defineProperty(process.stderr, 'write', stderr);
    else delete (process.stderr as { write?: unknown }).write;
  }
  const { stack } = synthesized;
  const json = JSON.parse(readFileSync(join(outdir, stack.templateFile), 'utf8')) as SynthesizedApp['json'];
  return {
    stack,
    template: Template.fromJSON(json),
    json,
    outdir,
    validationReport: JSON.parse(readFileSync(join(outdir, 'validation-report.json'), 'utf8')) as ValidationReport,
  };
}
