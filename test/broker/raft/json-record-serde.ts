import type { RecordSerde } from '../../../src/broker/raft/raft-client.js';

/** Records as JSON: what the Raft tests store (the metadata records' own serde is the controller's). */
export const jsonRecordSerde: RecordSerde<unknown> = {
  write: (record) => Buffer.from(JSON.stringify(record), 'utf8'),
  read: (bytes) => JSON.parse(bytes.toString('utf8')) as unknown,
};
