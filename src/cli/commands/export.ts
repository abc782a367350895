import { Command } from 'commander';
import { resolve } from 'node:path';
import { writeFileAtomic } from '../../store/atomic-write.js';
import { EnvironmentError } from '../errors.js';
import { openReviewLog } from '../progress-access.js';

/**
 * `kq export [--out FILE]`: the whole review log as one JSON array, one event per line (diffable and
 * still valid JSON), for a backup or for `kq import` on another machine.
 */
export function exportCommand(): Command {
  return new Command('export')
    .description('write the review log as a JSON array (stdout, or --out FILE)')
    .option('-o, --out <file>', 'write to this file instead of stdout (replaced atomically)')
    .action((options: { out?: string }) => {
      const events = openReviewLog().events;
      const text = events.length === 0 ? '[]\n' : `[\n${events.map((e) => JSON.stringify(e)).join(',\n')}\n]\n`;
      if (options.out === undefined) {
        process.stdout.write(text);
        return;
      }
      const file = resolve(options.out);
      try {
        writeFileAtomic(file, text);
      } catch (error) {
        throw new EnvironmentError(
          `cannot write ${file}: ${(error as Error).message}; choose a writable path for --out`,
        );
      }
      process.stderr.write(`exported ${events.length} event${events.length === 1 ? '' : 's'} to ${file}\n`);
    });
}
