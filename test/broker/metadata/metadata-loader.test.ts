import { describe, expect, it } from 'vitest';
import { MetadataDelta } from '../../../src/broker/metadata/metadata-delta.js';
import type { MetadataImage } from '../../../src/broker/metadata/metadata-image.js';
import { MetadataLoader } from '../../../src/broker/metadata/metadata-loader.js';
import type { MetadataRecord } from '../../../src/broker/metadata/metadata-records.js';
import { ControllerQuorum, settle } from '../support/controller-quorum.js';

const T = 'vPeOCWypqUOSepEvx0cbog';

function batch(baseOffset: number, records: MetadataRecord[], epoch = 1) {
  return { baseOffset, lastOffset: baseOffset + records.length - 1, epoch, appendTimestamp: 0, records };
}

function register(brokerId: number, brokerEpoch: bigint): MetadataRecord {
  return {
    type: 'RegisterBrokerRecord',
    brokerId,
    incarnationId: 'AAAAAAAAAAAAAAAAAAAAAQ',
    brokerEpoch,
    endPoints: [{ name: 'PLAINTEXT', host: '127.0.0.1', port: 9000 + brokerId, securityProtocol: 0 }],
    features: [],
    rack: null,
    fenced: true,
    inControlledShutdown: false,
  };
}

describe('MetadataLoader: records → image → delta', () => {
  it('replays registrations, topics, partitions and changes into the image, with the log position as provenance', () => {
    const loader = new MetadataLoader();
    loader.handleCommit(
      batch(0, [register(1, 0n), register(2, 1n), { type: 'UnfenceBrokerRecord', id: 1, epoch: 0n }]),
    );
    loader.handleCommit(
      batch(3, [
        { type: 'TopicRecord', name: 'orders', topicId: T },
        { type: 'ConfigRecord', resourceType: 2, resourceName: 'orders', name: 'min.insync.replicas', value: '2' },
        {
          type: 'PartitionRecord',
          partitionId: 0,
          topicId: T,
          replicas: [1, 2],
          isr: [1, 2],
          removingReplicas: [],
          addingReplicas: [],
          leader: 1,
          leaderEpoch: 0,
          partitionEpoch: 0,
        },
      ]),
    );
    const image = loader.image;
    expect(image.provenance).toEqual({ offset: 5n, epoch: 1 });
    expect(image.broker(1)).toMatchObject({ host: '127.0.0.1', port: 9001, fenced: false, epoch: 0n });
    expect(image.broker(2)?.fenced).toBe(true);
    expect(image.topic('orders')?.configs.get('min.insync.replicas')).toBe('2');
    loader.handleCommit(
      batch(6, [{ type: 'PartitionChangeRecord', partitionId: 0, topicId: T, isr: [2], leader: 2 }], 2),
    );
    expect(loader.image.partition('orders', 0)).toEqual({
      topicId: T,
      replicas: [1, 2],
      isr: [2],
      leader: 2,
      leaderEpoch: 1,
      partitionEpoch: 1,
    });
    loader.handleCommit(
      batch(7, [{ type: 'PartitionChangeRecord', partitionId: 0, topicId: T, isr: [1, 2], leader: -2 }], 2),
    );
    expect(loader.image.partition('orders', 0)).toMatchObject({ leader: 2, leaderEpoch: 1, partitionEpoch: 2 });
    loader.handleCommit(batch(8, [{ type: 'RemoveTopicRecord', topicId: T }], 2));
    expect(loader.image.topic('orders')).toBeUndefined();
  });

  it('publishes each committed batch as a delta: broker 2 learns it now leads', () => {
    const loader = new MetadataLoader();
    const seen: Array<{ delta: MetadataDelta; image: MetadataImage }> = [];
    loader.installPublisher({ name: 'test', onMetadataUpdate: (delta, image) => seen.push({ delta, image }) });
    loader.handleCommit(
      batch(0, [
        register(1, 0n),
        register(2, 1n),
        { type: 'TopicRecord', name: 'orders', topicId: T },
        {
          type: 'PartitionRecord',
          partitionId: 0,
          topicId: T,
          replicas: [1, 2],
          isr: [1, 2],
          removingReplicas: [],
          addingReplicas: [],
          leader: 1,
          leaderEpoch: 0,
          partitionEpoch: 0,
        },
      ]),
    );
    loader.handleCommit(batch(4, [{ type: 'PartitionChangeRecord', partitionId: 0, topicId: T, isr: [2], leader: 2 }]));
    expect(seen).toHaveLength(3); // the empty image at install, then two batches
    const last = seen[2]!.delta.localChanges(2);
    expect(last.leaders.map((c) => [c.topic, c.partition, c.current.leaderEpoch])).toEqual([['orders', 0, 1]]);
    expect(seen[2]!.delta.localChanges(1).deletes).toEqual([]);
  });

  it('a publisher installed late gets the current image at once', () => {
    const loader = new MetadataLoader();
    loader.handleCommit(batch(0, [register(1, 0n)]));
    let got: MetadataImage | undefined;
    loader.installPublisher({ name: 'late', onMetadataUpdate: (_d, image) => (got = image) });
    expect(got?.broker(1)).toBeDefined();
  });

  it('follows the controllers: every node’s loader ends with the image the controller decided', async () => {
    const q = new ControllerQuorum();
    await q.elect(1);
    await q.registerAndUnfence([1, 2, 3]);
    await q.active.createTopics({
      topics: [{ name: 'orders', numPartitions: 2, replicationFactor: 3, assignments: [], configs: [] }],
      timeoutMs: 1000,
      validateOnly: false,
    });
    const end = BigInt(q.quorum.highWatermark - 1);
    await settle(() => [1, 2, 3].every((id) => q.loader(id).image.provenance.offset === end), 'loaders catch up');
    for (const id of [1, 2, 3]) {
      const image = q.loader(id).image;
      expect(image.activeBrokers().map((b) => b.id)).toEqual([1, 2, 3]);
      const topic = image.topic('orders')!;
      expect([...topic.partitions.values()]).toEqual([...q.active.replication.topic('orders')!.partitions.values()]);
    }
  });
});
