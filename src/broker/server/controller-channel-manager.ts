import { RawKafkaClient } from '../client/raw-kafka-client.js';
import type { ControllerApis } from '../metadata/controller-apis.js';
import { ApiKey } from '../protocol/api-keys.js';
import type { ApiRequest, ApiResponse } from '../protocol/api-registry.js';
import { ErrorCode } from '../protocol/error-codes.js';
import type { LeaderAndEpoch } from '../raft/raft-client.js';
import type { QuorumVoter } from '../raft/quorum-config.js';

/** The versions a broker speaks to the active controller (Kafka 4's). */
export const CONTROLLER_RPC_VERSIONS = {
  BrokerRegistration: 4,
  BrokerHeartbeat: 1,
  AlterPartition: 3,
  CreateTopics: 7,
  CreatePartitions: 3,
  AllocateProducerIds: 0,
  IncrementalAlterConfigs: 1,
  ElectLeaders: 2,
  AlterPartitionReassignments: 1,
  ListPartitionReassignments: 0,
} as const;

export interface ControllerChannelOptions {
  /** `controller.quorum.voters`: where each controller listens. */
  readonly voters: readonly QuorumVoter[];
  /** Who leads the metadata quorum now (the node's RaftClient): the active controller is the leader. */
  readonly leader: () => LeaderAndEpoch;
  /** How long one call may keep retrying NOT_CONTROLLER, no leader and broken connections (default 5000 ms). */
  readonly timeoutMs?: number;
  readonly retryBackoffMs?: number;
}

/** No controller answered within the channel's timeout. */
export class ControllerUnavailableError extends Error {
  override readonly name = 'ControllerUnavailableError';
}

/**
 * Which of Kafka's node-to-controller channels a request travels on. Kafka's broker has one
 * NodeToControllerChannelManager per purpose — "heartbeat" (BrokerLifecycleManager: registration and heartbeats),
 * "alter-partition" (AlterPartitionManager) and "forwarding" (admin requests) — so a slow request on one never
 * holds up another: a CreateTopics the controller takes seconds to commit must not delay the heartbeats that keep
 * the broker's session alive (the controller would fence it and move its leaders away).
 */
function channelOf(key: ApiKey): 'heartbeat' | 'alter-partition' | 'forwarding' {
  if (key === ApiKey.BrokerRegistration || key === ApiKey.BrokerHeartbeat) return 'heartbeat';
  if (key === ApiKey.AlterPartition) return 'alter-partition';
  return 'forwarding';
}

/**
 * A broker's connection to the active controller across processes (Kafka's `NodeToControllerChannelManager`):
 * sends each request to the node that leads the metadata quorum (the Raft leader is the active controller), over
 * one connection per controller and channel (channelOf), and retries — after `retryBackoffMs` — while there is no leader, the connection
 * fails, or the answer is NOT_CONTROLLER (a failover: the leader it knew has stepped down), for up to
 * `timeoutMs`; then it throws ControllerUnavailableError. Callers (BrokerLifecycleManager,
 * ControllerAlterPartitionManager, forwarded admin requests) decide what a give-up means.
 *
 * Owned by the node; `close()` closes the connections.
 */
export class ControllerChannelManager implements ControllerApis {
  private readonly endpoints = new Map<number, QuorumVoter>();
  /** One connection per controller and channel; requests on it run one at a time (responses come back in order). */
  private readonly lanes = new Map<string, { client?: RawKafkaClient; tail: Promise<unknown> }>();
  private closed = false;

  constructor(private readonly options: ControllerChannelOptions) {
    for (const voter of options.voters) this.endpoints.set(voter.id, voter);
  }

  registerBroker(request: ApiRequest<typeof ApiKey.BrokerRegistration>) {
    return this.call(
      ApiKey.BrokerRegistration,
      CONTROLLER_RPC_VERSIONS.BrokerRegistration,
      request,
      (r) => r.errorCode,
    );
  }

  processBrokerHeartbeat(request: ApiRequest<typeof ApiKey.BrokerHeartbeat>) {
    return this.call(ApiKey.BrokerHeartbeat, CONTROLLER_RPC_VERSIONS.BrokerHeartbeat, request, (r) => r.errorCode);
  }

  alterPartition(request: ApiRequest<typeof ApiKey.AlterPartition>) {
    return this.call(ApiKey.AlterPartition, CONTROLLER_RPC_VERSIONS.AlterPartition, request, (r) => r.errorCode);
  }

  createTopics(request: ApiRequest<typeof ApiKey.CreateTopics>) {
    return this.call(ApiKey.CreateTopics, CONTROLLER_RPC_VERSIONS.CreateTopics, request, (r) => r.topics[0]?.errorCode);
  }

  deleteTopics(request: ApiRequest<typeof ApiKey.DeleteTopics>, version: number) {
    return this.call(ApiKey.DeleteTopics, version, request, (r) => r.responses[0]?.errorCode);
  }

  createPartitions(request: ApiRequest<typeof ApiKey.CreatePartitions>) {
    return this.call(
      ApiKey.CreatePartitions,
      CONTROLLER_RPC_VERSIONS.CreatePartitions,
      request,
      (r) => r.results[0]?.errorCode,
    );
  }

  allocateProducerIds(request: ApiRequest<typeof ApiKey.AllocateProducerIds>) {
    return this.call(
      ApiKey.AllocateProducerIds,
      CONTROLLER_RPC_VERSIONS.AllocateProducerIds,
      request,
      (r) => r.errorCode,
    );
  }

  incrementalAlterConfigs(request: ApiRequest<typeof ApiKey.IncrementalAlterConfigs>) {
    return this.call(
      ApiKey.IncrementalAlterConfigs,
      CONTROLLER_RPC_VERSIONS.IncrementalAlterConfigs,
      request,
      (r) => r.responses[0]?.errorCode,
    );
  }

  electLeaders(request: ApiRequest<typeof ApiKey.ElectLeaders>) {
    return this.call(ApiKey.ElectLeaders, CONTROLLER_RPC_VERSIONS.ElectLeaders, request, (r) => r.errorCode);
  }

  alterPartitionReassignments(request: ApiRequest<typeof ApiKey.AlterPartitionReassignments>) {
    return this.call(
      ApiKey.AlterPartitionReassignments,
      CONTROLLER_RPC_VERSIONS.AlterPartitionReassignments,
      request,
      (r) => r.errorCode,
    );
  }

  listPartitionReassignments(request: ApiRequest<typeof ApiKey.ListPartitionReassignments>) {
    return this.call(
      ApiKey.ListPartitionReassignments,
      CONTROLLER_RPC_VERSIONS.ListPartitionReassignments,
      request,
      (r) => r.errorCode,
    );
  }

  close(): void {
    this.closed = true;
    for (const lane of this.lanes.values()) lane.client?.close();
    this.lanes.clear();
  }

  private async call<K extends ApiKey>(
    key: K,
    version: number,
    request: ApiRequest<K>,
    errorOf: (response: ApiResponse<K>) => number | undefined,
  ): Promise<ApiResponse<K>> {
    const timeoutMs = this.options.timeoutMs ?? 5000;
    const deadline = Date.now() + timeoutMs;
    let last = 'no quorum leader known';
    while (!this.closed && Date.now() < deadline) {
      const { leaderId } = this.options.leader();
      const endpoint = this.endpoints.get(leaderId);
      if (endpoint) {
        try {
          const response = await this.exchange(endpoint, key, version, request, Math.max(1, deadline - Date.now()));
          if (errorOf(response) !== ErrorCode.NOT_CONTROLLER) return response;
          last = `controller ${leaderId} answered NOT_CONTROLLER`;
        } catch (error) {
          last = `controller ${leaderId} at ${endpoint.host}:${endpoint.port}: ${error instanceof Error ? error.message : String(error)}`;
        }
      } else if (leaderId !== -1) {
        last = `quorum leader ${leaderId} is not among controller.quorum.voters`;
      }
      await new Promise((resolve) => setTimeout(resolve, this.options.retryBackoffMs ?? 50));
    }
    throw new ControllerUnavailableError(`no active controller answered within ${timeoutMs} ms (${last})`);
  }

  private exchange<K extends ApiKey>(
    endpoint: QuorumVoter,
    key: K,
    version: number,
    request: ApiRequest<K>,
    timeoutMs: number,
  ): Promise<ApiResponse<K>> {
    const laneKey = `${endpoint.id}/${channelOf(key)}`;
    let lane = this.lanes.get(laneKey);
    if (!lane) {
      lane = { tail: Promise.resolve() };
      this.lanes.set(laneKey, lane);
    }
    const current = lane;
    const run = async (): Promise<ApiResponse<K>> => {
      try {
        if (!current.client || current.client.isClosed)
          current.client = await RawKafkaClient.connect(endpoint.port, endpoint.host);
        return await current.client.request(key, version, request, timeoutMs);
      } catch (error) {
        // A timed-out answer may still arrive and would be taken for the next one's: start a new connection.
        current.client?.close();
        current.client = undefined;
        throw error;
      }
    };
    const result = current.tail.then(run, run);
    current.tail = result.catch(() => undefined);
    return result;
  }
}
