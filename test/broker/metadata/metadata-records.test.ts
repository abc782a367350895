import { describe, expect, it } from 'vitest';
import { MetadataParseError, MetadataRecordSerde } from '../../../src/broker/metadata/metadata-record-serde.js';
import type { MetadataRecord } from '../../../src/broker/metadata/metadata-records.js';

const serde = MetadataRecordSerde.INSTANCE;
const TOPIC_ID = 'vPeOCWypqUOSepEvx0cbog';

const EXAMPLES: MetadataRecord[] = [
  {
    type: 'RegisterBrokerRecord',
    brokerId: 2,
    isMigratingZkBroker: false,
    incarnationId: 'AAAAAAAAAAAAAAAAAAAAAQ',
    brokerEpoch: 17n,
    endPoints: [{ name: 'PLAINTEXT', host: '127.0.0.1', port: 9092, securityProtocol: 0 }],
    features: [{ name: 'metadata.version', minSupportedVersion: 1, maxSupportedVersion: 20 }],
    rack: null,
    fenced: true,
    inControlledShutdown: false,
    logDirs: [],
  },
  { type: 'TopicRecord', name: 'orders', topicId: TOPIC_ID },
  {
    type: 'PartitionRecord',
    partitionId: 0,
    topicId: TOPIC_ID,
    replicas: [1, 2, 3],
    isr: [1, 2],
    removingReplicas: [],
    addingReplicas: [],
    leader: 1,
    leaderRecoveryState: 0,
    leaderEpoch: 4,
    partitionEpoch: 9,
  },
  {
    type: 'PartitionChangeRecord',
    partitionId: 0,
    topicId: TOPIC_ID,
    isr: [2, 3],
    leader: 2,
    replicas: null,
    removingReplicas: null,
    addingReplicas: null,
    leaderRecoveryState: -1,
  },
  { type: 'ConfigRecord', resourceType: 2, resourceName: 'orders', name: 'min.insync.replicas', value: '2' },
  { type: 'ConfigRecord', resourceType: 2, resourceName: 'orders', name: 'retention.ms', value: null },
  { type: 'FenceBrokerRecord', id: 3, epoch: 40n },
  { type: 'UnfenceBrokerRecord', id: 3, epoch: 40n },
  { type: 'RemoveTopicRecord', topicId: TOPIC_ID },
  { type: 'ProducerIdsRecord', brokerId: 2, brokerEpoch: 40n, nextProducerId: 3000n },
  {
    type: 'BrokerRegistrationChangeRecord',
    brokerId: 1,
    brokerEpoch: 5n,
    fenced: 0,
    inControlledShutdown: 1,
    logDirs: [],
  },
];

describe('MetadataRecordSerde (Kafka’s metadata record framing)', () => {
  it.each(EXAMPLES.map((r) => [r.type, r] as const))('%s reads back as written', (_type, record) => {
    expect(serde.read(serde.write(record))).toEqual(record);
  });

  it('writes a ProducerIdsRecord as Kafka does: frame version 1, api key 15, version 0, broker, epoch, next id, no tags', () => {
    const bytes = serde.write({ type: 'ProducerIdsRecord', brokerId: 2, brokerEpoch: 40n, nextProducerId: 3000n });
    expect(bytes.toString('hex')).toBe('010f00' + '00000002' + '0000000000000028' + '0000000000000bb8' + '00');
  });

  it('writes a TopicRecord as Kafka does: frame version 1, api key 2, version 0, compact name, uuid, no tags', () => {
    const bytes = serde.write({ type: 'TopicRecord', name: 'orders', topicId: TOPIC_ID });
    expect(bytes.toString('hex')).toBe(
      '010200' +
        '07' +
        Buffer.from('orders').toString('hex') +
        Buffer.from(TOPIC_ID, 'base64url').toString('hex') +
        '00',
    );
  });

  it('writes only the changed fields of a PartitionChangeRecord, as tagged fields', () => {
    const bytes = serde.write({
      type: 'PartitionChangeRecord',
      partitionId: 0,
      topicId: TOPIC_ID,
      isr: null,
      leader: 3,
    });
    // frame, key 5, v0, partition 0, topic id, then one tagged field: tag 1 (leader), 4 bytes, 3
    expect(bytes.toString('hex')).toBe(
      '010500' + '00000000' + Buffer.from(TOPIC_ID, 'base64url').toString('hex') + '01' + '0104' + '00000003',
    );
  });

  it('refuses an unknown frame version, an unknown record type and trailing bytes', () => {
    expect(() => serde.read(Buffer.from([0, 2, 0]))).toThrow(MetadataParseError);
    expect(() => serde.read(Buffer.from([1, 99, 0]))).toThrow(/type 99/);
    const topic = serde.write({ type: 'TopicRecord', name: 'orders', topicId: TOPIC_ID });
    expect(() => serde.read(Buffer.concat([topic, Buffer.from([0])]))).toThrow(MetadataParseError);
  });
});
