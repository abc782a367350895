import { RawKafkaClient } from '../client/raw-kafka-client.js';
import { ApiKey } from '../protocol/api-keys.js';
import type { ApiRequest, ApiResponse } from '../protocol/api-registry.js';

/** Where a partition leader listens (Kafka's `BrokerEndPoint`). */
export interface BrokerEndPoint {
  readonly id: number;
  readonly host: string;
  readonly port: number;
}

/** The versions a follower speaks to its leader: the newest non-flexible ones kq's codec has. */
export const REPLICA_FETCH_VERSION = 11;
export const OFFSET_FOR_LEADER_EPOCH_VERSION = 4;

/**
 * A follower's connection to one leader broker (Kafka's `RemoteLeaderEndPoint` over a `BrokerBlockingSender`):
 * one TCP connection, one request in flight, every request bounded by `request.timeout.ms` (plus the fetch's
 * own max wait). Any failure closes the connection; the next request reconnects. Owned by one
 * ReplicaFetcherThread.
 */
export class LeaderEndPoint {
  private client: RawKafkaClient | undefined;

  constructor(
    private endPoint: BrokerEndPoint,
    private readonly requestTimeoutMs: number,
  ) {}

  get leader(): BrokerEndPoint {
    return this.endPoint;
  }

  /** The leader restarted elsewhere (same id, new port): reconnect there on the next request. */
  moveTo(endPoint: BrokerEndPoint): void {
    if (endPoint.host === this.endPoint.host && endPoint.port === this.endPoint.port) return;
    this.endPoint = endPoint;
    this.close();
  }

  fetch(request: ApiRequest<typeof ApiKey.Fetch>): Promise<ApiResponse<typeof ApiKey.Fetch>> {
    return this.send(ApiKey.Fetch, REPLICA_FETCH_VERSION, request, this.requestTimeoutMs + request.maxWaitMs);
  }

  offsetsForLeaderEpoch(
    request: ApiRequest<typeof ApiKey.OffsetForLeaderEpoch>,
  ): Promise<ApiResponse<typeof ApiKey.OffsetForLeaderEpoch>> {
    return this.send(ApiKey.OffsetForLeaderEpoch, OFFSET_FOR_LEADER_EPOCH_VERSION, request, this.requestTimeoutMs);
  }

  close(): void {
    this.client?.close();
    this.client = undefined;
  }

  private async send<K extends ApiKey>(
    key: K,
    version: number,
    request: ApiRequest<K>,
    timeoutMs: number,
  ): Promise<ApiResponse<K>> {
    try {
      this.client ??= await RawKafkaClient.connect(this.endPoint.port, this.endPoint.host);
      if (this.client.isClosed) throw new Error(`connection to broker ${this.endPoint.id} closed`);
      return await this.client.request(key, version, request, timeoutMs);
    } catch (error) {
      this.close();
      throw error;
    }
  }
}
