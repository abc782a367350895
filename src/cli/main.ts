import { Command, CommanderError } from 'commander';
import { StoreError } from '../store/store-error.js';
import { KqError } from './errors.js';
import { commandsFor } from './commands/index.js';
import { version } from './version.js';

/**
 * The `kq` program: builds the commander tree from `commands/index.ts` and is the one place that turns
 * a thrown KqError, StoreError (progress store) or commander usage error into a message on stderr and an
 * exit code.
 */
async function main(argv: string[]): Promise<number> {
  const program = new Command('kq')
    .description(
      'Learn Apache Kafka the way a senior engineer explains it in an interview, then prove each answer live.',
    )
    .version(version, '-V, --version')
    .showSuggestionAfterError(true)
    .showHelpAfterError('(run `kq --help` or `kq <command> --help` for the valid commands and flags)')
    .exitOverride();
  const defines = await Promise.all(commandsFor(argv.slice(2)).map((entry) => entry.load()));
  for (const define of defines) {
    // A mistyped flag of a subcommand shows that subcommand's help: the list of its valid flags.
    program.addCommand(define().exitOverride().showSuggestionAfterError(true).showHelpAfterError(true));
  }

  try {
    await program.parseAsync(argv);
    return Number(process.exitCode ?? 0);
  } catch (error) {
    if (error instanceof CommanderError) {
      // help and version are not errors; everything else commander rejects is a usage error
      if (
        error.code === 'commander.helpDisplayed' ||
        error.code === 'commander.version' ||
        error.code === 'commander.help'
      )
        return 0;
      return 2;
    }
    if (error instanceof KqError) {
      process.stderr.write(`kq: ${error.message}\n`);
      return error.exitCode;
    }
    if (error instanceof StoreError) {
      // the store knows no exit codes, only whether the user or the environment is at fault
      process.stderr.write(`kq: ${error.message}\n`);
      return error.kind === 'usage' ? 2 : 3;
    }
    throw error;
  }
}

// A reader that goes away early (`kq demo x | head`) is not an error: stop quietly, as Unix tools do.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
}

process.exitCode = await main(process.argv);
