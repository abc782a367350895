import { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { mergeEvents, parseEventFile } from '../../store/review-import.js';
import { UsageError } from '../errors.js';
import { openReviewLog } from '../progress-access.js';

/** `kq import FILE`: merge another review log (kq export's JSON, or a reviews.jsonl) into ours by event id. */
export function importCommand(): Command {
  return new Command('import')
    .description('merge reviews from a file written by kq export (or a reviews.jsonl) into the review log')
    .argument('<file>', 'a JSON array of review events, or one event per line')
    .action((path: string) => {
      const file = resolve(path);
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch (error) {
        throw new UsageError(
          `cannot read ${file}: ${(error as Error).message}; give the path of a file written by kq export`,
        );
      }
      const incoming = parseEventFile(file, text); // all validated before anything is appended
      const log = openReviewLog();
      const result = mergeEvents(log, incoming);
      process.stdout.write(
        `imported ${result.added} event${result.added === 1 ? '' : 's'}, skipped ${result.skipped} already in ${log.file}\n`,
      );
      if (result.conflicting > 0) {
        process.stderr.write(
          `kq: warning: ${result.conflicting} skipped event${result.conflicting === 1 ? '' : 's'} had the id of a different event in the log; the log's version was kept\n`,
        );
      }
    });
}
