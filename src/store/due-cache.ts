import { readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * A cache of what `kq list` shows about progress — each card's next due time, whether it is suspended and until when it is buried —
 * derived from the review log and keyed by the log file's identity (inode, size, modification time).
 * Why: validating and replaying a 10,000-line log costs ~0.2–0.5 s, far over the start-up budget of a list,
 * while the log changes only when a review is appended. Any append changes the size, so a stale cache is never
 * used; the log stays the only truth and the cache can be deleted at any time.
 */
export interface DueEntry {
  /** ISO time the card is next due (after any burial), or null for a card that is new or suspended. */
  due: string | null;
  suspended: boolean;
  /** The end of the card's latest burial (past or future: compare with the clock), or null if never buried. */
  buriedUntil: string | null;
}

interface DueCacheFile {
  version: 2;
  log: { ino: number; size: number; mtimeMs: number };
  cards: Record<string, DueEntry>;
}

export function dueCachePath(logFile: string): string {
  return join(dirname(logFile), 'due-cache.json');
}

function identity(logFile: string): DueCacheFile['log'] | undefined {
  try {
    const stat = statSync(logFile);
    return { ino: stat.ino, size: stat.size, mtimeMs: stat.mtimeMs };
  } catch {
    return undefined;
  }
}

/** The cached entries if they were derived from the log exactly as it is now, else undefined. */
export function readDueCache(logFile: string): Map<string, DueEntry> | undefined {
  const now = identity(logFile);
  if (!now) return undefined;
  try {
    const cache = JSON.parse(readFileSync(dueCachePath(logFile), 'utf8')) as DueCacheFile;
    const same =
      cache.version === 2 &&
      cache.log.ino === now.ino &&
      cache.log.size === now.size &&
      cache.log.mtimeMs === now.mtimeMs;
    return same ? new Map(Object.entries(cache.cards)) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Stores entries derived from the log; `logIdentityBefore` is the log's identity when it was read, so a review
 * appended meanwhile (by a quiz in another terminal) leaves no cache that claims to describe the newer log.
 */
export function writeDueCache(
  logFile: string,
  entries: ReadonlyMap<string, DueEntry>,
  logIdentityBefore = identity(logFile),
): void {
  if (!logIdentityBefore) return;
  const after = identity(logFile);
  if (!after || after.size !== logIdentityBefore.size || after.mtimeMs !== logIdentityBefore.mtimeMs) return;
  const file = dueCachePath(logFile);
  const temp = `${file}.${process.pid}.tmp`;
  try {
    writeFileSync(
      temp,
      JSON.stringify({ version: 2, log: logIdentityBefore, cards: Object.fromEntries(entries) } satisfies DueCacheFile),
    );
    renameSync(temp, file);
  } catch {
    // a read-only data dir only costs speed
  }
}

export function logIdentity(logFile: string): DueCacheFile['log'] | undefined {
  return identity(logFile);
}
