/**
 * File names of a partition's log directory (Kafka: LogFileUtils). A segment's three files share the
 * base offset, zero-padded to 20 digits so that lexical order is numeric order:
 *   00000000000000000000.log  00000000000000000000.index  00000000000000000000.timeindex
 */
import { basename, join } from 'node:path';

export const LOG_FILE_SUFFIX = '.log';
export const INDEX_FILE_SUFFIX = '.index';
export const TIME_INDEX_FILE_SUFFIX = '.timeindex';
/** Present only while the log is closed cleanly; its absence at open means "recover". */
export const CLEAN_SHUTDOWN_FILE = '.kafka_cleanshutdown';
export const RECOVERY_POINT_CHECKPOINT_FILE = 'recovery-point-offset-checkpoint';
export const LOG_START_OFFSET_CHECKPOINT_FILE = 'log-start-offset-checkpoint';
export const HIGH_WATERMARK_CHECKPOINT_FILE = 'replication-offset-checkpoint';

export function filenamePrefixFromOffset(offset: bigint): string {
  return offset.toString().padStart(20, '0');
}

export function logFile(dir: string, baseOffset: bigint): string {
  return join(dir, filenamePrefixFromOffset(baseOffset) + LOG_FILE_SUFFIX);
}

export function offsetIndexFile(dir: string, baseOffset: bigint): string {
  return join(dir, filenamePrefixFromOffset(baseOffset) + INDEX_FILE_SUFFIX);
}

export function timeIndexFile(dir: string, baseOffset: bigint): string {
  return join(dir, filenamePrefixFromOffset(baseOffset) + TIME_INDEX_FILE_SUFFIX);
}

const SEGMENT_FILE = /^(\d{20})\.(log|index|timeindex)$/;

/** The base offset a segment file name encodes, or undefined for any other file. */
export function offsetFromFileName(
  fileName: string,
): { baseOffset: bigint; kind: 'log' | 'index' | 'timeindex' } | undefined {
  const match = SEGMENT_FILE.exec(basename(fileName));
  if (!match) return undefined;
  return { baseOffset: BigInt(match[1] as string), kind: match[2] as 'log' | 'index' | 'timeindex' };
}

/** `<topic>-<partition>` → its parts; Kafka's topic names may themselves contain '-'. */
export function parseTopicPartition(dir: string): { topic: string; partition: number } {
  const name = basename(dir);
  const match = /^(.+)-(\d+)$/.exec(name);
  if (!match) return { topic: name, partition: 0 };
  return { topic: match[1] as string, partition: Number(match[2]) };
}
