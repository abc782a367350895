import {
  ApiKey,
  batchesIn,
  batchOf,
  decodeRecords,
  ErrorCode,
  errorInfo,
  produce,
  RawKafkaClient,
} from '../broker/index.js';
import type { DecodedRecord } from '../broker/index.js';
import type { DemoCluster } from './demo-cluster.js';
import { eventually } from './eventually.js';
import { readPartitionFromDisk } from './partition-on-disk.js';

/** A partition as a client learns it from Metadata: who leads, in which epoch, the replicas and the ISR. */
export interface PartitionView {
  /** NONE, or e.g. LEADER_NOT_AVAILABLE while the partition has no leader. */
  error: string;
  /** -1 while no replica leads (offline). */
  leader: number;
  leaderEpoch: number;
  /** AR, in assignment order (the first is the preferred leader). */
  replicas: number[];
  isr: number[];
  offline: number[];
  /** The broker that answered. */
  answeredBy: number;
}

/** What one replica serves a consumer: its high watermark and the records below it (KIP-392 fetch). */
export interface ReplicaRead {
  error: string;
  highWatermark: bigint;
  records: DecodedRecord[];
}

/** A Produce's outcome for its one partition. */
export interface ProduceAnswer {
  error: string;
  baseOffset: bigint;
  /** From sending to the answer. */
  ms: number;
}

const PRODUCE_VERSION = 8;
const CREATE_TOPICS_VERSION = 4; // the first that takes -1 for partitions and replication factor with assignments
const METADATA_VERSION = 8; // leader epoch, ISR and offline replicas
const FETCH_VERSION = 11; // the first with rack_id: a consumer may fetch from a follower (KIP-392)
const REQUEST_TIMEOUT_MS = 3000;

/**
 * The cluster as a client sees it, for verdicts that must hold on kq and Apache Kafka alike: partition state from
 * Metadata (asked of a running broker, never a paused or dead one, whose answer would hang or fail), and a
 * consumer's Fetch from one chosen replica. One connection per broker, reopened after a broker restarts; one demo
 * flow at a time (a raw connection matches answers to requests in order). `close()` ends them.
 */
export class ClusterView {
  private readonly clients = new Map<number, { port: number; client: RawKafkaClient }>();

  constructor(private readonly cluster: DemoCluster) {}

  /** The partition's state from the Metadata of a running broker (`askBroker`, or the first running one). */
  async partition(topic: string, partition: number, askBroker?: number): Promise<PartitionView> {
    const brokerId = askBroker ?? this.runningBroker();
    const response = await this.request(brokerId, (client) =>
      client.request(
        ApiKey.Metadata,
        METADATA_VERSION,
        {
          topics: [{ name: topic }],
          allowAutoTopicCreation: false,
          includeClusterAuthorizedOperations: false,
          includeTopicAuthorizedOperations: false,
        },
        REQUEST_TIMEOUT_MS,
      ),
    );
    const t = response.topics.find((x) => x.name === topic);
    const p = t?.partitions.find((x) => x.partitionIndex === partition);
    if (!t || !p) throw new Error(`broker ${brokerId}'s Metadata has no ${topic}-${partition}`);
    return {
      error: errorInfo(p.errorCode !== ErrorCode.NONE ? p.errorCode : t.errorCode).name,
      leader: p.leaderId,
      leaderEpoch: p.leaderEpoch,
      replicas: [...p.replicaNodes],
      isr: [...p.isrNodes],
      offline: [...p.offlineReplicas],
      answeredBy: brokerId,
    };
  }

  /** The brokers a running broker's Metadata lists: the registered, unfenced ones (a fenced broker is left out). */
  async liveBrokers(askBroker?: number): Promise<number[]> {
    const brokerId = askBroker ?? this.runningBroker();
    const response = await this.request(brokerId, (client) =>
      client.request(
        ApiKey.Metadata,
        METADATA_VERSION,
        {
          topics: [],
          allowAutoTopicCreation: false,
          includeClusterAuthorizedOperations: false,
          includeTopicAuthorizedOperations: false,
        },
        REQUEST_TIMEOUT_MS,
      ),
    );
    return response.brokers.map((b) => b.nodeId).sort((a, b) => a - b);
  }

  /**
   * What replica `brokerId` serves a consumer that fetches from it directly (Fetch v11, as a KIP-392 consumer does):
   * its own high watermark, and its records from `fromOffset` below it — a follower answers with what it knows.
   */
  async readReplica(brokerId: number, topic: string, partition: number, fromOffset = 0n): Promise<ReplicaRead> {
    const records: DecodedRecord[] = [];
    let offset = fromOffset;
    for (;;) {
      const response = await this.request(brokerId, (client) =>
        client.request(
          ApiKey.Fetch,
          FETCH_VERSION,
          {
            replicaId: -1,
            maxWaitMs: 0,
            minBytes: 0,
            maxBytes: 1 << 20,
            isolationLevel: 0,
            sessionId: 0,
            sessionEpoch: -1,
            topics: [
              {
                topic,
                partitions: [
                  {
                    partition,
                    currentLeaderEpoch: -1,
                    fetchOffset: offset,
                    logStartOffset: -1n,
                    partitionMaxBytes: 1 << 20,
                  },
                ],
              },
            ],
            forgottenTopicsData: [],
            rackId: '',
          },
          REQUEST_TIMEOUT_MS,
        ),
      );
      const answer = response.responses[0]?.partitions[0];
      if (!answer) throw new Error(`broker ${brokerId}'s Fetch of ${topic}-${partition} returned no partition`);
      if (answer.errorCode !== ErrorCode.NONE)
        return { error: errorInfo(answer.errorCode).name, highWatermark: answer.highWatermark, records };
      const before = offset;
      for (const batch of batchesIn(answer.records ?? Buffer.alloc(0))) {
        if (batch.lastOffset < offset) continue;
        records.push(...decodeRecords(batch).filter((r) => r.offset >= offset));
        offset = batch.nextOffset;
      }
      if (offset >= answer.highWatermark || offset === before)
        return { error: 'NONE', highWatermark: answer.highWatermark, records };
    }
  }

  /**
   * Whether replica `brokerId`'s high watermark has reached the end of the log in its data dir: everything it stores
   * is then committed and a consumer reads it all. A leader that just took over (or restarted) may serve a stale
   * high watermark for a moment (its checkpoint's, or the one it had as a follower) until its followers fetch.
   */
  async highWatermarkAtLogEnd(brokerId: number, topic: string, partition: number): Promise<boolean> {
    const batches = readPartitionFromDisk(this.cluster.broker(brokerId).dataDir, topic, partition).segments.flatMap(
      (segment) => segment.batches,
    );
    const logEnd = batches.length > 0 ? batches.at(-1)!.lastOffset + 1n : 0n;
    return (await this.readReplica(brokerId, topic, partition)).highWatermark === logEnd;
  }

  /**
   * Creates a one-partition topic on exactly `replicas` (the first is its preferred leader) with topic `configs`,
   * and resolves once every running broker's Metadata shows it led by that first replica with all replicas in sync
   * (a broker that learned of it later would answer UNKNOWN_TOPIC_OR_PARTITION to the demo's next look).
   */
  async createTopic(topic: string, replicas: number[], configs: Record<string, string> = {}): Promise<void> {
    const error = await this.sendCreateTopic(topic, replicas, configs, 15_000);
    if (error !== 'NONE') throw new Error(`CreateTopics ${topic} failed: ${error}`);
    const ready = await eventually(async () => {
      for (const id of this.cluster.brokerIds.filter((b) => this.cluster.broker(b).state === 'running')) {
        const p = await this.partition(topic, 0, id);
        if (p.leader !== replicas[0] || p.isr.length !== replicas.length) return false;
      }
      return true;
    }, 30_000);
    if (!ready)
      throw new Error(
        `${topic} was not led by ${replicas[0]} with ${replicas.length} replicas in sync on every broker within 30 s`,
      );
  }

  /**
   * One CreateTopics of a one-partition topic on `replicas`, answered with its error (NONE, or e.g.
   * REQUEST_TIMED_OUT when the controller cannot commit it within `timeoutMs`).
   */
  async sendCreateTopic(
    topic: string,
    replicas: number[],
    configs: Record<string, string> = {},
    timeoutMs = 5000,
  ): Promise<string> {
    // a connection of its own: a broker that cannot reach a controller may answer late or never
    const broker = this.cluster.broker(this.runningBroker());
    const client = await RawKafkaClient.connect(broker.port, broker.host);
    try {
      const response = await client.request(
        ApiKey.CreateTopics,
        CREATE_TOPICS_VERSION,
        {
          topics: [
            {
              name: topic,
              numPartitions: -1,
              replicationFactor: -1,
              assignments: [{ partitionIndex: 0, brokerIds: replicas }],
              configs: Object.entries(configs).map(([name, value]) => ({ name, value })),
            },
          ],
          timeoutMs,
          validateOnly: false,
        },
        timeoutMs + 3000,
      );
      const created = response.topics[0];
      return created ? errorInfo(created.errorCode).name : 'NO_ANSWER';
    } catch {
      return `NO_ANSWER within ${timeoutMs + 3000} ms`;
    } finally {
      client.close();
    }
  }

  /**
   * One Produce of `values` as one batch to broker `brokerId` on a connection of its own (a request parked by
   * acks=all must not hold up the next look), answered with the partition's error and base offset.
   */
  async produce(
    brokerId: number,
    topic: string,
    values: string[],
    options: { acks: 1 | -1; timeoutMs?: number; partition?: number },
  ): Promise<ProduceAnswer> {
    const broker = this.cluster.broker(brokerId);
    const client = await RawKafkaClient.connect(broker.port, broker.host);
    const timeoutMs = options.timeoutMs ?? 10_000;
    const started = Date.now();
    try {
      const request = { ...produce(topic, batchOf(values), options), timeoutMs };
      const response = await client.request(ApiKey.Produce, PRODUCE_VERSION, request, timeoutMs + 5000);
      const answer = response.responses[0]?.partitions[0];
      if (!answer) throw new Error(`broker ${brokerId}'s Produce answer has no partition`);
      return { error: errorInfo(answer.errorCode).name, baseOffset: answer.baseOffset, ms: Date.now() - started };
    } finally {
      client.close();
    }
  }

  close(): void {
    for (const { client } of this.clients.values()) client.close();
    this.clients.clear();
  }

  private runningBroker(): number {
    const id = this.cluster.brokerIds.find((b) => this.cluster.broker(b).state === 'running');
    if (id === undefined) throw new Error('no broker of the cluster is running');
    return id;
  }

  /**
   * Runs one observation (Metadata, a consumer's Fetch: safe to repeat) on the broker's connection; a failed one is
   * dropped (a late answer would mismatch the next) and tried once more on a fresh connection.
   */
  private async request<T>(brokerId: number, send: (client: RawKafkaClient) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const client = await this.connection(brokerId);
      try {
        return await send(client);
      } catch (error) {
        client.close();
        this.clients.delete(brokerId);
        if (attempt >= 2) throw error;
      }
    }
  }

  private async connection(brokerId: number): Promise<RawKafkaClient> {
    const broker = this.cluster.broker(brokerId);
    const open = this.clients.get(brokerId);
    if (open && !open.client.isClosed && open.port === broker.port) return open.client;
    open?.client.close();
    const client = await RawKafkaClient.connect(broker.port, broker.host);
    this.clients.set(brokerId, { port: broker.port, client });
    return client;
  }
}
