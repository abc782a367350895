/**
 * Reads partitions back with kq's raw protocol client, for demos that must see exactly what a partition holds
 * (record offsets, keys, batch boundaries) rather than what a consumer library chooses to hand over. Works against
 * the demo's own mini-broker and against a real cluster: each partition is fetched from its leader, found with a
 * Metadata request, so a multi-broker cluster is read correctly too.
 *
 * Owns the raw connections it opens; `close()` ends them all. One reader per demo, used from one async flow at a
 * time (a RawKafkaClient matches responses to requests in order, so two concurrent requests on it would mix up).
 */
import {
  ApiKey,
  batchesIn,
  decodeRecords,
  ErrorCode,
  errorInfo,
  fetch,
  RawKafkaClient,
  type ApiResponse,
  type DecodedRecord,
  type RecordBatch,
} from '../broker/index.js';

export type MetadataResponse = ApiResponse<typeof ApiKey.Metadata>;

/** One stored batch as read back: its offsets and its decoded records. */
export interface ReadBatch {
  baseOffset: bigint;
  lastOffset: bigint;
  records: DecodedRecord[];
}

/** Highest Fetch / Metadata versions kq's codec and broker speak (Kafka 2.x wire format). */
const FETCH_VERSION = 11;
const METADATA_VERSION = 8;
// 1 MB, Kafka's max.partition.fetch.bytes default; the raw client reassembles a response by concatenation, so huge ones cost more
const FETCH_MAX_BYTES = 1 << 20;

export class RawPartitionReader {
  private readonly clients = new Map<string, RawKafkaClient>();

  constructor(private readonly bootstrap: string) {}

  /** The first host:port of a bootstrap list, as [host, port]. */
  static parseBootstrap(bootstrap: string): [string, number] {
    const first = bootstrap.split(',')[0]?.trim() ?? '';
    const colon = first.lastIndexOf(':');
    const port = Number(first.slice(colon + 1));
    if (colon <= 0 || !Number.isInteger(port) || port <= 0) {
      throw new Error(`bootstrap '${bootstrap}' is not host:port; pass an address like 127.0.0.1:9092`);
    }
    return [first.slice(0, colon), port];
  }

  /** A Metadata request for `topics` (null = all) to the bootstrap broker, answered as decoded. */
  async metadata(topics: string[] | null, version = METADATA_VERSION): Promise<MetadataResponse> {
    const client = await this.connection(this.bootstrap);
    return client.request(ApiKey.Metadata, version, {
      topics: topics === null ? null : topics.map((name) => ({ name })),
      allowAutoTopicCreation: false,
      includeClusterAuthorizedOperations: false,
      includeTopicAuthorizedOperations: false,
    });
  }

  /** A connection to the current leader of `topic`-`partition`. */
  async leaderConnection(topic: string, partition: number): Promise<RawKafkaClient> {
    const metadata = await this.metadata([topic]);
    const leaderId = metadata.topics
      .find((t) => t.name === topic)
      ?.partitions.find((p) => p.partitionIndex === partition)?.leaderId;
    const leader = metadata.brokers.find((b) => b.nodeId === leaderId);
    if (!leader)
      throw new Error(
        `no leader known for ${topic}-${partition} (leader id ${leaderId ?? 'none'}); is the topic created?`,
      );
    return this.connection(`${leader.host}:${leader.port}`);
  }

  /** Every batch of the partition from offset 0 up to its high watermark, decoded, in log order. */
  async readBatches(topic: string, partition: number): Promise<ReadBatch[]> {
    return (await this.readRecordBatches(topic, partition)).map((batch) => ({
      baseOffset: batch.baseOffset,
      lastOffset: batch.lastOffset,
      records: decodeRecords(batch),
    }));
  }

  /**
   * Every stored batch of the partition from offset 0 up to its high watermark, as the broker sent them (not decoded:
   * for measuring the fetch path alone).
   */
  async readRecordBatches(topic: string, partition: number): Promise<RecordBatch[]> {
    const client = await this.leaderConnection(topic, partition);
    const batches: RecordBatch[] = [];
    let offset = 0n;
    for (;;) {
      const response = await client.request(
        ApiKey.Fetch,
        FETCH_VERSION,
        fetch(topic, offset, { partition, minBytes: 0, maxBytes: FETCH_MAX_BYTES, partitionMaxBytes: FETCH_MAX_BYTES }),
      );
      const answer = response.responses[0]?.partitions[0];
      if (!answer) throw new Error(`Fetch of ${topic}-${partition} returned no partition`);
      if (answer.errorCode !== ErrorCode.NONE) {
        throw new Error(
          `Fetch of ${topic}-${partition} at offset ${offset} failed: ${errorInfo(answer.errorCode).name}`,
        );
      }
      const before = offset;
      for (const batch of batchesIn(answer.records ?? Buffer.alloc(0))) {
        // fetches start at a batch boundary here, since every fetch offset is the previous batch's nextOffset
        if (batch.lastOffset < offset) continue;
        batches.push(batch);
        offset = batch.nextOffset;
      }
      if (offset >= answer.highWatermark) return batches;
      // no progress below the high watermark would loop forever: say what the broker sent instead
      if (offset === before)
        throw new Error(
          `Fetch of ${topic}-${partition} at offset ${offset} returned no whole batch below the high watermark ${answer.highWatermark}`,
        );
    }
  }

  /** Every record of the partition, in offset order. */
  async readRecords(topic: string, partition: number): Promise<DecodedRecord[]> {
    return (await this.readBatches(topic, partition)).flatMap((b) => b.records);
  }

  close(): void {
    for (const client of this.clients.values()) client.close();
    this.clients.clear();
  }

  private async connection(address: string): Promise<RawKafkaClient> {
    const open = this.clients.get(address);
    if (open && !open.isClosed) return open;
    const [host, port] = RawPartitionReader.parseBootstrap(address);
    const client = await RawKafkaClient.connect(port, host);
    this.clients.set(address, client);
    return client;
  }
}
