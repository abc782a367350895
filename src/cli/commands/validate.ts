import { Command } from 'commander';
import { defaultBankLocation } from '../../bank/bank-location.js';
import { assertBankExists } from '../bank-access.js';
import { FailedError } from '../errors.js';

/**
 * `kq validate [--strict] [--json]`: every broken convention of the bank as `file:line: message`.
 * Pending problems (demos not written yet) fail only with --strict.
 */
export function validateCommand(): Command {
  return new Command('validate')
    .description('check every card, seed coverage, FACTS coverage and demo links')
    .option('--strict', 'also fail on pending problems (missing demo modules)')
    .option('--json', 'print the problems as a JSON array on stdout')
    .action(async (options: { strict?: boolean; json?: boolean }) => {
      // loaded here so the schema library is not parsed by commands that read the cached bank
      const [{ loadBank }, { validateBank }] = await Promise.all([
        import('../../bank/load-bank.js'),
        import('../../bank/validate-bank.js'),
      ]);
      const location = defaultBankLocation();
      assertBankExists(location);
      const bank = loadBank(location);
      const problems = validateBank(location, bank);
      const failing = problems.filter((p) => p.severity === 'error' || options.strict);
      if (options.json) {
        process.stdout.write(`${JSON.stringify(problems, null, 2)}\n`);
      } else {
        for (const p of problems)
          process.stderr.write(`${p.file}:${p.line}: ${p.severity === 'pending' ? 'pending: ' : ''}${p.message}\n`);
      }
      const pending = problems.length - problems.filter((p) => p.severity === 'error').length;
      const summary = `${bank.cards.length} cards, ${problems.length - pending} errors, ${pending} pending`;
      if (failing.length > 0)
        throw new FailedError(
          `validate: ${summary}${options.strict && pending > 0 ? ' (--strict fails on pending)' : ''}`,
        );
      process.stderr.write(`kq validate: ${summary}\n`);
    });
}
