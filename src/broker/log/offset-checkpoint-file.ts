/**
 * OffsetCheckpointFile: one durable offset of a partition, in Kafka's checkpoint text format
 *
 *   0                     version
 *   1                     number of entries
 *   <topic> <partition> <offset>
 *
 * Kafka keeps one such file per log directory for all partitions (recovery-point-offset-checkpoint,
 * log-start-offset-checkpoint, replication-offset-checkpoint); here each partition directory holds its
 * own, with the same names and format. Written atomically (temp file, fsync, rename) so a crash leaves
 * either the old or the new value, never half of one. Owned by one UnifiedLog.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseTopicPartition } from './log-file-names.js';
import { writeFileAtomically } from '../utils/atomic-file.js';

const VERSION = 0;

export class OffsetCheckpointFile {
  readonly file: string;
  private readonly topic: string;
  private readonly partition: number;
  /** What the file is known to hold, so unchanged offsets cost no write and no fsync. */
  private onDisk: bigint | undefined;

  constructor(dir: string, fileName: string) {
    this.file = join(dir, fileName);
    ({ topic: this.topic, partition: this.partition } = parseTopicPartition(dir));
  }

  write(offset: bigint): void {
    if (offset === this.onDisk) return;
    writeFileAtomically(this.file, this.content(offset));
    this.onDisk = offset;
  }

  /** The file's text for `offset`: Kafka's format, version 0, one entry. */
  private content(offset: bigint): string {
    return `${VERSION}\n1\n${this.topic} ${this.partition} ${offset}\n`;
  }

  /**
   * Says what a missing file stands for (the offset its reader assumes without it), so that writing exactly that
   * offset into a file that does not exist is skipped: a new partition's checkpoints would otherwise each cost a
   * temp file, an fsync and a rename to store what their absence already says. A crash before the first real
   * write reads the same offset either way.
   */
  assumeWhenMissing(offset: bigint): void {
    if (!existsSync(this.file)) this.onDisk = offset;
  }

  /**
   * Like `assumeWhenMissing`, but the file is written (without an fsync) so that it can be read at once, as demos
   * read the high watermark a broker keeps on disk. Losing it in a crash loses nothing: its absence says the same.
   * This was one of the two fsyncs left per partition of a CreateTopics (the other is partition.metadata, which
   * Kafka fsyncs too).
   */
  writeUnsyncedWhenMissing(offset: bigint): void {
    if (existsSync(this.file)) return;
    writeFileAtomically(this.file, this.content(offset), { fsync: false });
    this.onDisk = offset;
  }

  /** The stored offset; undefined when the file is missing or unreadable (callers then assume nothing). */
  read(): bigint | undefined {
    if (!existsSync(this.file)) return undefined;
    const lines = readFileSync(this.file, 'utf8').split('\n');
    if (lines[0] !== String(VERSION) || lines[1] !== '1') return undefined;
    const offset = lines[2]?.split(' ').at(-1);
    this.onDisk = offset !== undefined && /^-?\d+$/.test(offset) ? BigInt(offset) : undefined;
    return this.onDisk;
  }
}
