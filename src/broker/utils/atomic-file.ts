import { closeSync, fsyncSync, openSync, renameSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Replaces `file` with `content` so that a crash leaves either the old file or the new one, never half of either:
 * writes `<file>.tmp`, fsyncs it, renames it over `file` (Kafka's checkpoint files and `Utils.atomicMoveWithFallback`
 * do the same). With `syncDirectory` the parent directory is fsynced too, which makes the rename itself durable
 * (POSIX); without it a crash right after may still show the old file, which callers that rewrite a checkpoint
 * they can rebuild accept. With `fsync: false` nothing is fsynced: for content whose loss costs nothing because a
 * missing or empty file already means the same to its reader (a crash may leave the old file, none, or an empty
 * one). The one place the broker writes a small file whole; stateless.
 */
export function writeFileAtomically(
  file: string,
  content: string,
  options: { syncDirectory?: boolean; fsync?: boolean } = {},
): void {
  const temp = `${file}.tmp`;
  const fd = openSync(temp, 'w');
  try {
    writeSync(fd, content);
    if (options.fsync !== false) fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temp, file);
  if (options.syncDirectory && options.fsync !== false) {
    const dir = openSync(dirname(file), 'r');
    try {
      fsyncSync(dir);
    } finally {
      closeSync(dir);
    }
  }
}
