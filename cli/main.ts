import { ProverBurstError } from '../core/errors/base.js';
import { devCommand, devUsage } from './commands/dev.js';
import { planCommand, planUsage } from './commands/plan.js';
import { simulateCommand, simulateUsage } from './commands/simulate.js';
import { processOutput, type CliOutput } from './output.js';
import { EXIT_USAGE, UsageError } from './usageError.js';

type Command = (args: string[], io: CliOutput) => number | Promise<number>;

const COMMANDS: Record<string, { run: Command; usage: string }> = {
  plan: { run: planCommand, usage: planUsage },
  simulate: { run: simulateCommand, usage: simulateUsage },
  dev: { run: devCommand, usage: devUsage },
};

const HELP = `prover-burst — proving orchestrator for Fernet-sequenced, Aztec-style rollups

Commands:
${Object.values(COMMANDS)
  .map(({ usage }) => `  ${usage.split('\n')[0]}`)
  .join('\n')}

Run \`prover-burst <command> --help\` for a command's flags.`;

/** Runs one CLI invocation and returns its exit code (2 for bad input). */
export async function main(argv: string[], io: CliOutput = processOutput): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.out(HELP);
    return name === undefined ? EXIT_USAGE : 0;
  }
  const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!command) {
    io.err(`prover-burst: unknown command "${name}" (try --help)`);
    return EXIT_USAGE;
  }
  if (args.includes('--help') || args.includes('-h')) {
    io.out(command.usage);
    return 0;
  }
  try {
    return await command.run(args, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`prover-burst: ${error.message}`);
      return EXIT_USAGE;
    }
    if (error instanceof ProverBurstError) {
      io.err(`prover-burst: ${error.name}: ${error.message}`);
      return 1;
    }
    throw error;
  }
}
