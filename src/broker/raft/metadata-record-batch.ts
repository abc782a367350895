import { batchesIn } from '../record/record-batch.js';
import { buildRecordBatch } from '../record/record-batch-builder.js';
import { decodeRecords } from '../record/record-decoder.js';
import {
  controlRecordKey,
  controlRecordType,
  decodeLeaderChangeMessage,
  encodeLeaderChangeMessage,
  isLeaderChangeRecord,
  LEADER_CHANGE_CONTROL_TYPE,
} from './leader-change-message.js';
import type { RecordSerde } from './raft-client.js';
import type { LogBatch } from './replicated-log.js';

/**
 * How a metadata log batch looks on disk and on the wire: one magic-2 record batch with baseOffset and
 * partitionLeaderEpoch = the batch's offset and epoch, the batch timestamp = the leader's append time, one
 * record per entry. A data record has a null key and the `RecordSerde`'s bytes as value; the leader-change
 * record is a control batch (attribute bit 5) whose key is the control record key and whose value is a
 * LeaderChangeMessage, as Kafka writes it. The encoding is deterministic, so a follower that decodes and
 * re-encodes what its leader sent stores the leader's bytes exactly.
 *
 * Stateless; shared by `KafkaMetadataLog` (disk) and `KafkaRaftManager` (Fetch responses).
 */
export class MetadataRecordBatchCodec<T> {
  constructor(readonly serde: RecordSerde<T>) {}

  encode(batch: LogBatch): Buffer {
    const records = batch.records.map((record) => {
      if (!batch.control) return { key: null, value: this.serde.write(record as T) };
      if (!isLeaderChangeRecord(record)) throw new Error('a control batch holds only the leader-change record');
      return { key: controlRecordKey(LEADER_CHANGE_CONTROL_TYPE), value: encodeLeaderChangeMessage(record) };
    });
    return buildRecordBatch({
      records,
      baseOffset: BigInt(batch.baseOffset),
      partitionLeaderEpoch: batch.epoch,
      control: batch.control,
      now: batch.appendTimestamp,
    });
  }

  encodeAll(batches: readonly LogBatch[]): Buffer {
    return Buffer.concat(batches.map((b) => this.encode(b)));
  }

  /** Whole batches in `bytes` (an incomplete tail is left out, as Kafka's batch iterator does). */
  decode(bytes: Buffer): LogBatch[] {
    const out: LogBatch[] = [];
    for (const batch of batchesIn(bytes)) {
      const records = decodeRecords(batch).map((record) => {
        if (!batch.isControl) return this.serde.read(record.value ?? Buffer.alloc(0));
        const type = controlRecordType(record.key);
        if (type !== LEADER_CHANGE_CONTROL_TYPE) {
          throw new Error(`control record type ${type} at offset ${record.offset} is not one kq's KRaft writes`);
        }
        return decodeLeaderChangeMessage(record.value ?? Buffer.alloc(0));
      });
      out.push({
        baseOffset: Number(batch.baseOffset),
        epoch: batch.partitionLeaderEpoch,
        appendTimestamp: batch.baseTimestamp,
        control: batch.isControl,
        records,
      });
    }
    return out;
  }
}
