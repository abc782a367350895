import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Kafka's `CleanShutdownFileHandler.CLEAN_SHUTDOWN_FILE_NAME`, in the log dir. */
export const CLEAN_SHUTDOWN_FILE_NAME = '.kafka_cleanshutdown';

/**
 * Kafka's clean shutdown file (`CleanShutdownFileHandler`, KIP-966): a broker that stopped cleanly (controlled
 * shutdown, logs flushed and closed) leaves `{"version":0,"brokerEpoch":N}` in its log dir; the next start reads
 * and removes it and registers with `previousBrokerEpoch` N. A crash leaves no file, so the controller sees a new
 * incarnation without its previous epoch: an unclean shutdown, and the broker leaves every ELR. Owned by the
 * KafkaRaftServer of the node; nothing else reads or writes the file.
 */
export function writeCleanShutdownFile(dataDir: string, brokerEpoch: bigint): void {
  writeFileSync(join(dataDir, CLEAN_SHUTDOWN_FILE_NAME), `{"version":0,"brokerEpoch":${brokerEpoch}}`);
}

/** The epoch of the last clean shutdown, or -1 (no file, or one that does not parse); the file is removed. */
export function consumeCleanShutdownFile(dataDir: string): bigint {
  const path = join(dataDir, CLEAN_SHUTDOWN_FILE_NAME);
  if (!existsSync(path)) return -1n;
  const text = readFileSync(path, 'utf8');
  rmSync(path, { force: true });
  const match = /"brokerEpoch"\s*:\s*(-?\d+)/.exec(text);
  return match?.[1] !== undefined ? BigInt(match[1]) : -1n;
}
