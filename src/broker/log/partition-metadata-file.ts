import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomically } from '../utils/atomic-file.js';

export const PARTITION_METADATA_FILE = 'partition.metadata';

/** Thrown when a partition dir's `partition.metadata` names another topic id, or cannot be read. */
export class InconsistentTopicIdError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InconsistentTopicIdError';
  }
}

/**
 * A partition dir's `partition.metadata`, byte for byte as Kafka's `PartitionMetadataFile` writes it:
 *
 *     version: 0
 *     topic_id: <22-character base64url uuid>
 *
 * It ties the directory to its topic's id, so a dir left behind by a deleted topic is never taken for a
 * re-created topic of the same name. Written to a temp file, fsynced and renamed; owned by LogManager.
 */
export class PartitionMetadataFile {
  readonly file: string;

  constructor(partitionDir: string) {
    this.file = join(partitionDir, PARTITION_METADATA_FILE);
  }

  exists(): boolean {
    return existsSync(this.file);
  }

  /** The topic id recorded in the file. */
  read(): string {
    const text = readFileSync(this.file, 'utf8');
    const match = /^version: 0\ntopic_id: ([A-Za-z0-9_-]{22})\n?$/.exec(text);
    if (!match) throw new InconsistentTopicIdError(`${this.file} is not a version 0 partition.metadata file`);
    return match[1]!;
  }

  write(topicId: string): void {
    writeFileAtomically(this.file, `version: 0\ntopic_id: ${topicId}\n`);
  }

  /** Writes the id if the file is missing; refuses a file naming another id, as Kafka does at log load. */
  ensure(topicId: string): void {
    if (!this.exists()) {
      this.write(topicId);
      return;
    }
    const recorded = this.read();
    if (recorded !== topicId) {
      throw new InconsistentTopicIdError(
        `${this.file} records topic id ${recorded}, but the topic registry says ${topicId}; ` +
          'the directory belongs to another topic of the same name — move it aside',
      );
    }
  }
}
