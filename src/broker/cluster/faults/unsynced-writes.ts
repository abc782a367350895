import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { resolve } from 'node:path';

/** What a file would hold after a power cut right now. */
interface FileState {
  /** Whether the file would exist at all: false for a file created and never fsynced since. */
  durable: boolean;
  /** Its length at the last fsync (or when first seen). */
  syncedLength: number;
  /** Its durable bytes [0, syncedLength), copied before the first change below syncedLength since the last fsync. */
  syncedCopy?: Buffer;
}

interface OpenFile {
  path: string;
  /** Opened for appending: every write lands at the end, never below the durable length (unless truncated first). */
  append: boolean;
}

const WRITE_FLAGS = /[wa+]/;
const TRUNCATE_FLAGS = /^w/;

/**
 * The power-loss model of one node process: it watches the node's file writes (by wrapping `node:fs`'s
 * synchronous calls, which are all the broker uses to write: segments, indexes, checkpoints, producer snapshots,
 * the metadata log, quorum-state) and knows, for every file changed since the process started, what an fsync made
 * durable. `cutPower()` puts every such file back to that state — appended bytes cut off, overwritten bytes
 * restored, never-synced new files gone — as the disk would hold it after the power went out.
 *
 * The model (stated, not discovered): a file's durable content is what it held at its last fsync; renames and
 * deletions are durable at once (journalled metadata, as ext4 orders them); files that existed when the process
 * started are durable as they are (a SIGKILL leaves the page cache to the OS, which writes it back). The worst case
 * is modelled: every unsynced byte is lost, none survives by luck.
 *
 * Cost: nothing until `install()`; after it, an append costs one Map lookup (the bytes are never copied: cutting
 * power truncates). Only a write below the durable length (a truncation, a rewrite) copies the durable bytes, once
 * per fsync. One per process (it patches the process's `fs`); owned by the FaultAgent.
 */
export class UnsyncedWrites {
  private readonly files = new Map<string, FileState>();
  private readonly fds = new Map<number, OpenFile>();
  private readonly original = {
    openSync: fs.openSync,
    closeSync: fs.closeSync,
    writeSync: fs.writeSync,
    fsyncSync: fs.fsyncSync,
    fdatasyncSync: fs.fdatasyncSync,
    ftruncateSync: fs.ftruncateSync,
    truncateSync: fs.truncateSync,
    renameSync: fs.renameSync,
    rmSync: fs.rmSync,
    unlinkSync: fs.unlinkSync,
    writeFileSync: fs.writeFileSync,
    fstatSync: fs.fstatSync,
    readSync: fs.readSync,
  };
  private installed = false;
  /** Added to every append to a segment file (`*.log`): a slow disk. */
  slowAppendMs = 0;
  private readonly sleeper = new Int32Array(new SharedArrayBuffer(4));

  install(): void {
    if (this.installed) return;
    this.installed = true;
    const o = this.original;
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- the replacements are `fs` methods, called on `fs`
    const self = this;
    const patched: Partial<typeof fs> = {
      openSync(path: fs.PathLike, flags?: fs.OpenMode, mode?: fs.Mode | null): number {
        const text = typeof flags === 'number' ? 'r+' : (flags ?? 'r');
        const writes =
          typeof flags === 'number'
            ? (flags & (fs.constants.O_WRONLY | fs.constants.O_RDWR)) !== 0
            : WRITE_FLAGS.test(text);
        if (!writes) return o.openSync(path, flags ?? 'r', mode);
        const key = resolve(String(path));
        const state = self.stateOf(key);
        const truncating = typeof flags === 'number' ? (flags & fs.constants.O_TRUNC) !== 0 : TRUNCATE_FLAGS.test(text);
        if (truncating) self.keepDurableBytes(key, state);
        const fd = o.openSync(path, flags ?? 'r', mode);
        self.fds.set(fd, { path: key, append: typeof flags === 'string' && flags.startsWith('a') });
        return fd;
      },
      closeSync(fd: number): void {
        self.fds.delete(fd);
        o.closeSync(fd);
      },
      writeSync(fd: number, ...rest: unknown[]): number {
        const open = self.fds.get(fd);
        if (open) {
          if (!open.append) self.keepDurableBytes(open.path, self.stateOf(open.path));
          else if (self.slowAppendMs > 0 && open.path.endsWith('.log'))
            Atomics.wait(self.sleeper, 0, 0, self.slowAppendMs);
        }
        return (o.writeSync as (fd: number, ...args: unknown[]) => number)(fd, ...rest);
      },
      fsyncSync(fd: number): void {
        o.fsyncSync(fd);
        self.synced(fd);
      },
      fdatasyncSync(fd: number): void {
        o.fdatasyncSync(fd);
        self.synced(fd);
      },
      ftruncateSync(fd: number, len?: number): void {
        const open = self.fds.get(fd);
        if (open) {
          const state = self.stateOf(open.path);
          if ((len ?? 0) < state.syncedLength) self.keepDurableBytes(open.path, state);
        }
        o.ftruncateSync(fd, len);
      },
      truncateSync(path: fs.PathLike, len?: number): void {
        const key = resolve(String(path));
        const state = self.stateOf(key);
        if ((len ?? 0) < state.syncedLength) self.keepDurableBytes(key, state);
        o.truncateSync(path, len);
      },
      renameSync(from: fs.PathLike, to: fs.PathLike): void {
        o.renameSync(from, to);
        self.renamed(resolve(String(from)), resolve(String(to)));
      },
      rmSync(path: fs.PathLike, options?: fs.RmOptions): void {
        o.rmSync(path, options);
        self.forget(resolve(String(path)));
      },
      unlinkSync(path: fs.PathLike): void {
        o.unlinkSync(path);
        self.forget(resolve(String(path)));
      },
      writeFileSync(
        file: fs.PathOrFileDescriptor,
        data: string | NodeJS.ArrayBufferView,
        options?: fs.WriteFileOptions,
      ): void {
        if (typeof file !== 'number') {
          const key = resolve(String(file));
          self.keepDurableBytes(key, self.stateOf(key));
        }
        o.writeFileSync(file, data, options);
      },
    };
    Object.assign(fs, patched);
    syncBuiltinESMExports();
  }

  /** The files that hold bytes a power cut would take (for reports and tests). */
  unsyncedFiles(): string[] {
    const out: string[] = [];
    for (const [path, state] of this.files) {
      const size = fs.statSync(path, { throwIfNoEntry: false })?.size;
      if (size === undefined) continue;
      if (!state.durable || state.syncedCopy || size !== state.syncedLength) out.push(path);
    }
    return out;
  }

  /**
   * Puts every changed file back to its durable state (see the class comment). Returns what it did, one line per
   * file. Only for a process about to die: its open descriptors now disagree with the files.
   */
  cutPower(): string[] {
    const o = this.original;
    const done: string[] = [];
    for (const [path, state] of this.files) {
      try {
        if (!state.durable) {
          o.rmSync(path, { force: true });
          done.push(`${path}: never fsynced, gone`);
          continue;
        }
        const fd = o.openSync(path, 'r+');
        try {
          const size = o.fstatSync(fd).size;
          if (state.syncedCopy) o.writeSync(fd, state.syncedCopy, 0, state.syncedCopy.length, 0);
          if (size !== state.syncedLength || state.syncedCopy) {
            o.ftruncateSync(fd, state.syncedLength);
            done.push(
              `${path}: ${size} -> ${state.syncedLength} bytes${state.syncedCopy ? ' (rewritten bytes restored)' : ''}`,
            );
          }
        } finally {
          o.closeSync(fd);
        }
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      }
    }
    return done;
  }

  private stateOf(path: string): FileState {
    let state = this.files.get(path);
    if (!state) {
      const size = fs.statSync(path, { throwIfNoEntry: false })?.size;
      // Not there: created by this process, durable only once fsynced.
      state = size === undefined ? { durable: false, syncedLength: 0 } : { durable: true, syncedLength: size };
      this.files.set(path, state);
    }
    return state;
  }

  /** Before the first change below the durable length since the last fsync: copy the durable bytes. */
  private keepDurableBytes(path: string, state: FileState): void {
    if (state.syncedCopy || !state.durable || state.syncedLength === 0) return;
    const o = this.original;
    const copy = Buffer.alloc(state.syncedLength);
    const fd = o.openSync(path, 'r');
    try {
      let done = 0;
      while (done < copy.length) {
        const n = o.readSync(fd, copy, done, copy.length - done, done);
        if (n === 0) break;
        done += n;
      }
    } finally {
      o.closeSync(fd);
    }
    state.syncedCopy = copy;
  }

  private synced(fd: number): void {
    const open = this.fds.get(fd);
    if (!open) return;
    const state = this.stateOf(open.path);
    state.durable = true;
    state.syncedLength = this.original.fstatSync(fd).size;
    state.syncedCopy = undefined;
  }

  private renamed(from: string, to: string): void {
    const moves: Array<[string, string]> = [];
    for (const path of this.files.keys())
      if (path === from || path.startsWith(`${from}/`)) moves.push([path, to + path.slice(from.length)]);
    this.forget(to);
    for (const [a, b] of moves) {
      this.files.set(b, this.files.get(a)!);
      this.files.delete(a);
    }
    for (const open of this.fds.values())
      if (open.path === from || open.path.startsWith(`${from}/`)) open.path = to + open.path.slice(from.length);
  }

  private forget(path: string): void {
    for (const key of [...this.files.keys()]) if (key === path || key.startsWith(`${path}/`)) this.files.delete(key);
  }
}
