import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomically } from '../utils/atomic-file.js';

/** What survives a restart about one topic; its data lives in the `<topic>-<n>/` partition dirs. */
export interface StoredTopic {
  readonly name: string;
  /** Kafka's topic id (a UUID), kept so a re-created topic of the same name is a different topic. */
  readonly id: string;
  readonly partitions: number;
  /** The topic's own config overrides (TopicConfig.overrides), as given. */
  readonly configs: Readonly<Record<string, string>>;
}

interface TopicsFile {
  readonly version: 1;
  readonly topics: StoredTopic[];
}

export const TOPICS_FILE = 'topics.json';

/** Thrown when `topics.json` exists but cannot be read; the broker refuses to start rather than lose topics. */
export class TopicStoreError extends Error {
  constructor(
    message: string,
    readonly file: string,
  ) {
    super(message);
    this.name = 'TopicStoreError';
  }
}

/**
 * The data dir's topic registry file, `topics.json`: names, ids, partition counts and config overrides —
 * what Kafka keeps in its metadata log (KRaft) and the per-partition `partition.metadata` files. Written
 * whole, to a temp file that is fsynced and renamed over the old one, so a crash leaves either the old or the
 * new registry, never a torn one. Owned by LogManager; nothing else writes it.
 */
export class TopicStore {
  readonly file: string;

  constructor(dataDir: string) {
    this.file = join(dataDir, TOPICS_FILE);
  }

  load(): StoredTopic[] {
    if (!existsSync(this.file)) return [];
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(this.file, 'utf8'));
    } catch (error) {
      throw new TopicStoreError(
        `${this.file} is not valid JSON (${(error as Error).message}); restore it or move the data dir aside to start empty`,
        this.file,
      );
    }
    if (!isTopicsFile(parsed)) {
      throw new TopicStoreError(
        `${this.file} does not hold a kq topic registry (version 1); move the data dir aside to start empty`,
        this.file,
      );
    }
    return parsed.topics;
  }

  save(topics: readonly StoredTopic[]): void {
    const content: TopicsFile = { version: 1, topics: [...topics] };
    // The rename is durable only once the directory entry is: fsync the directory too (POSIX).
    writeFileAtomically(this.file, `${JSON.stringify(content, null, 2)}\n`, { syncDirectory: true });
  }
}

function isTopicsFile(value: unknown): value is TopicsFile {
  if (typeof value !== 'object' || value === null) return false;
  const file = value as { version?: unknown; topics?: unknown };
  return (
    file.version === 1 &&
    Array.isArray(file.topics) &&
    file.topics.every(
      (t: unknown) =>
        typeof t === 'object' &&
        t !== null &&
        typeof (t as StoredTopic).name === 'string' &&
        typeof (t as StoredTopic).id === 'string' &&
        Number.isInteger((t as StoredTopic).partitions) &&
        typeof (t as StoredTopic).configs === 'object',
    )
  );
}
