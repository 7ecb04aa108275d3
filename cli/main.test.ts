import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { devSpec } from './commands/dev.js';
import { planSpec } from './commands/plan.js';
import { simulateSpec } from './commands/simulate.js';
import type { CommandSpec } from './parseFlags.js';

const CLI = join(import.meta.dirname, '..', 'bin', 'prover-burst.js');
const help = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });

/** The help line of each flag: `--name [VALUE]  what it does (default: …)` or `(required)`. */
function flagLines(text: string, spec: CommandSpec): Record<string, string> {
  return Object.fromEntries(
    Object.keys(spec.flags).map((name) => [name, text.split('\n').find((line) => new RegExp(`^ {2}--${name}\\b`).test(line)) ?? '']),
  );
}

describe('prover-burst --help', () => {
  const specs = [devSpec, planSpec, simulateSpec];

  it('lists every flag of every command with its default, in the top-level help and in each command\'s', () => {
    const top = help('--help');
    expect(top.status).toBe(0);
    for (const spec of specs) {
      const own = help(spec.name, '--help');
      expect(own.status).toBe(0);
      for (const text of [top.stdout, own.stdout]) {
        const lines = flagLines(text, spec);
        for (const [name, line] of Object.entries(lines)) expect(line, `--${name} of ${spec.name}`).toMatch(/\((default: .+|required)\)$/);
      }
    }
    expect(flagLines(help('plan', '--help').stdout, planSpec)).toMatchObject({
      txs: expect.stringContaining('(required)'),
      json: expect.stringContaining('(default: off)'),
      tree: expect.stringContaining('(default: off)'),
    });
    expect(flagLines(top.stdout, devSpec)['data-dir']).toContain('(default: .data/devnet)');
  }, 120_000);
});
