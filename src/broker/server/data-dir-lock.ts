import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';

export const LOCK_FILE = '.lock';

/** Another live process holds the data dir. */
export class DataDirLockedError extends Error {
  constructor(
    readonly dataDir: string,
    readonly pid: number,
  ) {
    super(`data dir ${dataDir} is in use by another broker (pid ${pid}); stop it or choose another --data-dir`);
    this.name = 'DataDirLockedError';
  }
}

/**
 * Kafka's `.lock` file: one broker per data dir, since two appending to the same segments would corrupt them.
 * Kafka holds an OS file lock; Node has none, so the file holds the owner's pid and a lock whose pid is no
 * longer alive (a SIGKILLed broker) is taken over. Owned by KafkaBroker for its lifetime.
 */
export class DataDirLock {
  private constructor(private readonly file: string) {}

  static acquire(dataDir: string): DataDirLock {
    const file = join(dataDir, LOCK_FILE);
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        const fd = openSync(file, 'wx');
        writeSync(fd, String(process.pid));
        closeSync(fd);
        return new DataDirLock(file);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        const owner = Number(readFileSync(file, 'utf8').trim());
        if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && isAlive(owner))
          throw new DataDirLockedError(dataDir, owner);
        if (owner === process.pid) throw new DataDirLockedError(dataDir, owner);
        rmSync(file, { force: true }); // stale: its owner died without closing
      }
    }
    throw new Error(`could not lock ${file}`);
  }

  release(): void {
    rmSync(this.file, { force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
