import { appendFileSync, closeSync, fstatSync, fsyncSync, ftruncateSync, openSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseReviewEvent, type ReviewEvent } from '../srs/review-event.js';
import { ensureDirectory } from './ensure-directory.js';
import { StoreError } from './store-error.js';

export { newEventId, type ReviewEvent, type ReviewEventType } from '../srs/review-event.js';

/** A line of the review log that is not a valid event (anything but a torn last line). The CLI exits 3. */
export class ReviewLogError extends StoreError {
  constructor(
    readonly file: string,
    readonly line: number,
    problem: string,
  ) {
    super(
      `${file}:${line}: ${problem}; kq never rewrites its log — fix or delete that line by hand, then run kq again`,
      'environment',
    );
  }
}

/**
 * The review log: `reviews.jsonl`, one ReviewEvent per line, append-only. Every append is written and
 * fsync'd before `append` returns, so a rating the learner saw acknowledged survives a crash or power cut.
 *
 * On open the whole file is validated. A last line with no newline that does not parse is what a crash in
 * the middle of a write leaves: it is dropped with a warning, and cut away only when the next append
 * happens (opening the log for reading never writes). Any other bad line stops with file:line, and the
 * file is left exactly as it was: nothing in it is ever overwritten.
 *
 * Ownership: one ReviewLog instance per process writes the file; `events` is this instance's view (the
 * file's events at open plus its own appends). Appends use O_APPEND, so a second kq process appending at
 * the same time interleaves whole lines rather than corrupting them, but neither sees the other's events
 * until it reopens the log.
 */
export class ReviewLog {
  private readonly loaded: ReviewEvent[];
  private readonly ids: Set<string>;
  /** Byte length to cut the file back to before the next append (a torn last line), or null. */
  private truncateTo: number | null;
  /** The file's size when the torn line was found, to refuse truncating a file someone else has grown. */
  private readonly sizeAtOpen: number;
  /** The last line is a complete event without its newline (hand-edited): the next append starts a line. */
  private needsNewline: boolean;

  private constructor(
    readonly file: string,
    parsed: { events: ReviewEvent[]; truncateTo: number | null; size: number; needsNewline: boolean },
  ) {
    this.loaded = parsed.events;
    this.ids = new Set(parsed.events.map((e) => e.id));
    this.truncateTo = parsed.truncateTo;
    this.sizeAtOpen = parsed.size;
    this.needsNewline = parsed.needsNewline;
  }

  /** Reads and validates the log; a missing file is an empty log (it is created by the first append). */
  static open(file: string, options: { onWarning?: (message: string) => void } = {}): ReviewLog {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        return new ReviewLog(file, { events: [], truncateTo: null, size: 0, needsNewline: false });
      }
      throw new StoreError(
        `cannot read ${file}: ${(error as Error).message}; check that it is a readable file`,
        'environment',
      );
    }
    const parsed = parseLog(file, text);
    if (parsed.truncateTo !== null) {
      options.onWarning?.(
        `${file}:${parsed.tornLine}: dropped an incomplete last line (an interrupted write); it will be removed at the next review`,
      );
    }
    return new ReviewLog(file, parsed);
  }

  get events(): readonly ReviewEvent[] {
    return this.loaded;
  }

  append(event: ReviewEvent): void {
    this.appendMany([event]);
  }

  /** Appends the events as one write and one fsync: all of them are durable when this returns. */
  appendMany(events: ReviewEvent[]): void {
    if (events.length === 0) return;
    const checked: ReviewEvent[] = [];
    const fresh = new Set<string>();
    for (const event of events) {
      const parsed = parseReviewEvent(event);
      // a caller bug, not a user error: refuse before anything reaches the disk
      if ('problem' in parsed) throw new Error(`refusing to append an invalid review event: ${parsed.problem}`);
      if (this.ids.has(event.id) || fresh.has(event.id))
        throw new Error(`refusing to append a duplicate event id ${event.id}`);
      fresh.add(event.id);
      checked.push(parsed.event); // zod's copy: keys in one order on every line, whoever built the event
    }
    const text = (this.needsNewline ? '\n' : '') + checked.map((e) => `${JSON.stringify(e)}\n`).join('');
    this.write(text);
    this.needsNewline = false;
    for (const event of checked) {
      this.loaded.push(event);
      this.ids.add(event.id);
    }
  }

  private write(text: string): void {
    let fd: number | undefined;
    try {
      ensureDirectory(dirname(this.file));
      const created = this.loaded.length === 0 && this.sizeAtOpen === 0;
      fd = openSync(this.file, 'a');
      if (this.truncateTo !== null) {
        const size = fstatSync(fd).size;
        if (size !== this.sizeAtOpen) {
          throw new StoreError(
            `${this.file} changed while kq was running (another kq session?); run kq again`,
            'environment',
          );
        }
        ftruncateSync(fd, this.truncateTo);
        this.truncateTo = null;
      }
      const sizeBefore = fstatSync(fd).size;
      try {
        appendFileSync(fd, text); // loops over short writes, unlike one writeSync
        fsyncSync(fd);
      } catch (error) {
        // half a line (disk full) would glue onto the next append and corrupt the middle of the log
        try {
          ftruncateSync(fd, sizeBefore);
        } catch {
          // the write's own error is the one to report; a torn last line is still recovered on open
        }
        throw error;
      }
      if (created) fsyncDirectory(dirname(this.file));
    } catch (error) {
      if (error instanceof StoreError) throw error;
      throw new StoreError(
        `cannot write ${this.file}: ${(error as Error).message}; check free space and permissions`,
        'environment',
      );
    } finally {
      if (fd !== undefined) closeSync(fd);
    }
  }
}

/** A new file's directory entry must reach the disk too, or a crash can lose the whole file. */
export function fsyncDirectory(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // some platforms (Windows) cannot open or fsync a directory; the file itself is already synced
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

function parseLog(file: string, text: string) {
  const events: ReviewEvent[] = [];
  const firstLineOfId = new Map<string, number>();
  // split leaves the text after the last '\n' as the final element: '' when the file ends with a newline
  const lines = text.split('\n');
  let truncateTo: number | null = null;
  let tornLine = 0;
  let needsNewline = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const lineNumber = i + 1;
    const isUnterminated = i === lines.length - 1;
    if (line.trim() === '') continue; // blank lines carry no event (a hand edit, or the final newline)
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      if (isUnterminated) {
        truncateTo = Buffer.byteLength(text) - Buffer.byteLength(line);
        tornLine = lineNumber;
        break;
      }
      throw new ReviewLogError(file, lineNumber, `not valid JSON (${(error as Error).message})`);
    }
    const parsed = parseReviewEvent(value);
    if ('problem' in parsed) throw new ReviewLogError(file, lineNumber, `not a valid review event: ${parsed.problem}`);
    const seen = firstLineOfId.get(parsed.event.id);
    if (seen !== undefined)
      throw new ReviewLogError(file, lineNumber, `duplicate event id ${parsed.event.id} (first on line ${seen})`);
    firstLineOfId.set(parsed.event.id, lineNumber);
    events.push(parsed.event);
    if (isUnterminated) needsNewline = true;
  }
  return { events, truncateTo, tornLine, size: Buffer.byteLength(text), needsNewline };
}
