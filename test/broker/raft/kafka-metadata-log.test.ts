import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { UnifiedLog } from '../../../src/broker/log/unified-log.js';
import { decodeLeaderChangeMessage } from '../../../src/broker/raft/leader-change-message.js';
import { KafkaMetadataLog } from '../../../src/broker/raft/kafka-metadata-log.js';
import { batchesIn } from '../../../src/broker/record/record-batch.js';
import { decodeRecords } from '../../../src/broker/record/record-decoder.js';
import { jsonRecordSerde } from './json-record-serde.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
function dataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'kq-metadata-log-'));
  dirs.push(dir);
  return dir;
}

const leaderChange = { type: 'leader-change', leaderId: 2, voters: [1, 2, 3], grantingVoters: [2, 3] } as const;

describe('KafkaMetadataLog: the metadata log on disk', () => {
  it('lives in <data-dir>/__cluster_metadata-0 as record batches stamped with their epoch, the leader change as a LeaderChangeMessage control batch', () => {
    const dir = dataDir();
    const log = KafkaMetadataLog.open(dir, jsonRecordSerde);
    log.appendAsLeader(4, [leaderChange], { control: true, timestamp: 1_700_000_000_000 });
    log.appendAsLeader(4, [{ topic: 't' }, 'x'], { timestamp: 1_700_000_000_001 });
    log.close();
    const partitionDir = join(dir, '__cluster_metadata-0');
    expect(existsSync(join(partitionDir, '00000000000000000000.log'))).toBe(true);
    // Read back with the broker's own UnifiedLog, as any tool reading Kafka's files would.
    const raw = UnifiedLog.open(partitionDir);
    const batches = [...batchesIn(raw.read(0n, 1 << 20).records)];
    raw.close();
    expect(batches.map((b) => [b.baseOffset, b.partitionLeaderEpoch, b.isControl, b.recordCount])).toEqual([
      [0n, 4, true, 1],
      [1n, 4, false, 2],
    ]);
    const [control] = decodeRecords(batches[0]!);
    expect([...control!.key!]).toEqual([0, 0, 0, 2]); // control record key: version 0, type LEADER_CHANGE (2)
    expect(decodeLeaderChangeMessage(control!.value!)).toEqual(leaderChange);
    expect(decodeRecords(batches[1]!).map((r) => [r.key, r.value?.toString()])).toEqual([
      [null, '{"topic":"t"}'],
      [null, '"x"'],
    ]);
    expect(readFileSync(join(partitionDir, 'leader-epoch-checkpoint'), 'utf8')).toBe('0\n1\n4 0\n');
  });

  it('is reopened after a restart with its batches and epochs, and continues where it ended', () => {
    const dir = dataDir();
    const first = KafkaMetadataLog.open(dir, jsonRecordSerde);
    first.appendAsLeader(1, ['a'], { timestamp: 1 });
    first.appendAsLeader(3, ['b', 'c'], { timestamp: 2 });
    first.close();
    const reopened = KafkaMetadataLog.open(dir, jsonRecordSerde);
    expect([reopened.endOffset, reopened.lastFetchedEpoch]).toEqual([3, 3]);
    expect(reopened.endOffsetForEpoch(2)).toEqual({ epoch: 1, offset: 1 });
    reopened.appendAsLeader(5, ['d'], { timestamp: 3 });
    expect(reopened.read(0, 10).map((b) => [b.baseOffset, b.epoch, b.records])).toEqual([
      [0, 1, ['a']],
      [1, 3, ['b', 'c']],
      [3, 5, ['d']],
    ]);
    reopened.close();
  });

  it('after a crash (no clean shutdown) the leader-epoch cache is rebuilt from the batches', () => {
    const dir = dataDir();
    const crashed = KafkaMetadataLog.open(dir, jsonRecordSerde);
    crashed.appendAsLeader(1, ['a'], { timestamp: 1 });
    crashed.appendAsLeader(2, ['b'], { timestamp: 2 });
    // Never closed: no clean-shutdown marker. Drop the checkpoint as a lost write would.
    rmSync(join(dir, '__cluster_metadata-0', 'leader-epoch-checkpoint'), { force: true });
    const recovered = KafkaMetadataLog.open(dir, jsonRecordSerde);
    expect([recovered.endOffset, recovered.lastFetchedEpoch]).toEqual([2, 2]);
    expect(recovered.endOffsetForEpoch(1)).toEqual({ epoch: 1, offset: 1 });
    recovered.close();
  });
});
