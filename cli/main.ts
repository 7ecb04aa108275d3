import { ProverBurstError } from '../core/errors/base.js';
import { devCommand, devSpec } from './commands/dev.js';
import { planCommand, planSpec } from './commands/plan.js';
import { simulateCommand, simulateSpec } from './commands/simulate.js';
import { processOutput, type CliOutput } from './output.js';
import { usageOf, type CommandSpec } from './parseFlags.js';
import { EXIT_FAILURE, EXIT_USAGE, isBadInput } from './usageError.js';

type Command = (args: string[], io: CliOutput) => number | Promise<number>;

const COMMANDS: Record<string, { run: Command; spec: CommandSpec }> = {
  dev: { run: devCommand, spec: devSpec },
  plan: { run: planCommand, spec: planSpec },
  simulate: { run: simulateCommand, spec: simulateSpec },
};

const HELP = `prover-burst — proving orchestrator for Fernet-sequenced, Aztec-style rollups

${Object.values(COMMANDS)
  .map(({ spec }) => usageOf(spec))
  .join('\n\n')}

Exit codes: 0 done, 1 the environment failed (disk, ports, the L1), 2 bad input, 130 interrupted.`;

/** Runs one CLI invocation and returns its exit code: 2 for bad input, 1 for a failure around it; always one line. */
export async function main(argv: string[], io: CliOutput = processOutput): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.out(HELP);
    return name === undefined ? EXIT_USAGE : 0;
  }
  const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!command) {
    io.err(`prover-burst: UsageError: unknown command "${name}" (try --help)`);
    return EXIT_USAGE;
  }
  if (args.includes('--help') || args.includes('-h')) {
    io.out(usageOf(command.spec));
    return 0;
  }
  try {
    return await command.run(args, io);
  } catch (error) {
    io.err(`prover-burst: ${oneLine(error)}`);
    return isBadInput(error) ? EXIT_USAGE : EXIT_FAILURE;
  }
}

/**
 * `Name: message` on one line. An error we did not name is a bug: its stack goes to stderr only with
 * PROVER_BURST_DEBUG=1, so a user sees one line, and whoever debugs sees everything.
 */
function oneLine(error: unknown): string {
  if (!(error instanceof Error)) return `unexpected failure: ${String(error)}`;
  const message = error.message.split('\n')[0]!.trim();
  if (error instanceof ProverBurstError) return `${error.name}: ${message}`;
  const code = (error as NodeJS.ErrnoException).code;
  const hint = process.env.PROVER_BURST_DEBUG === '1' ? `\n${error.stack ?? ''}` : ' (PROVER_BURST_DEBUG=1 prints the stack)';
  return `unexpected ${error.name}${code ? ` (${code})` : ''}: ${message}${hint}`;
}
