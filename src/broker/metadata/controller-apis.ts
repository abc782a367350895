import type { AlterPartitionRequest } from '../protocol/alter-partition/request.js';
import type { AlterPartitionResponse } from '../protocol/alter-partition/response.js';
import type { AllocateProducerIdsRequest } from '../protocol/allocate-producer-ids/request.js';
import type { AllocateProducerIdsResponse } from '../protocol/allocate-producer-ids/response.js';
import type { BrokerHeartbeatRequest } from '../protocol/broker-heartbeat/request.js';
import type { IncrementalAlterConfigsRequest } from '../protocol/incremental-alter-configs/request.js';
import type { IncrementalAlterConfigsResponse } from '../protocol/incremental-alter-configs/response.js';
import type { BrokerHeartbeatResponse } from '../protocol/broker-heartbeat/response.js';
import type { BrokerRegistrationRequest } from '../protocol/broker-registration/request.js';
import type { BrokerRegistrationResponse } from '../protocol/broker-registration/response.js';
import type { CreatePartitionsRequest } from '../protocol/create-partitions/request.js';
import type { CreatePartitionsResponse } from '../protocol/create-partitions/response.js';
import type { CreateTopicsRequest } from '../protocol/create-topics/request.js';
import type { CreateTopicsResponse } from '../protocol/create-topics/response.js';
import type { DeleteTopicsRequest } from '../protocol/delete-topics/request.js';
import type { DeleteTopicsResponse } from '../protocol/delete-topics/response.js';
import type { AlterPartitionReassignmentsRequest } from '../protocol/alter-partition-reassignments/request.js';
import type { AlterPartitionReassignmentsResponse } from '../protocol/alter-partition-reassignments/response.js';
import type { ListPartitionReassignmentsRequest } from '../protocol/list-partition-reassignments/request.js';
import type { ListPartitionReassignmentsResponse } from '../protocol/list-partition-reassignments/response.js';
import type { ElectLeadersRequest } from '../protocol/elect-leaders/request.js';
import type { ElectLeadersResponse } from '../protocol/elect-leaders/response.js';

/**
 * The requests a broker sends to the active controller (Kafka's `ControllerApis` as seen through
 * `NodeToControllerChannelManager`), in the wire messages' own shapes. The QuorumController implements it (a
 * non-active controller answers NOT_CONTROLLER); a broker reaches it through a channel that finds the active
 * controller — in-process a direct call, across processes the controller listener. Never rejects: every failure
 * is an error code in the response.
 */
export interface ControllerApis {
  registerBroker(request: BrokerRegistrationRequest): Promise<BrokerRegistrationResponse>;
  processBrokerHeartbeat(request: BrokerHeartbeatRequest): Promise<BrokerHeartbeatResponse>;
  alterPartition(request: AlterPartitionRequest): Promise<AlterPartitionResponse>;
  createTopics(request: CreateTopicsRequest): Promise<CreateTopicsResponse>;
  /** `version` decides whether topics are named by name (v0-5) or by name or id (v6+). */
  deleteTopics(request: DeleteTopicsRequest, version: number): Promise<DeleteTopicsResponse>;
  createPartitions(request: CreatePartitionsRequest): Promise<CreatePartitionsResponse>;
  /** KIP-730: the next block of producer ids for the broker's idempotent producers. */
  allocateProducerIds(request: AllocateProducerIdsRequest): Promise<AllocateProducerIdsResponse>;
  /** Topic configs (KIP-590 forwarding): SET and DELETE per key, written as ConfigRecords. */
  incrementalAlterConfigs(request: IncrementalAlterConfigsRequest): Promise<IncrementalAlterConfigsResponse>;
  /** Preferred or unclean elections an admin asked for (kafka-leader-election). */
  electLeaders(request: ElectLeadersRequest): Promise<ElectLeadersResponse>;
  /** Moves partitions to other replicas, or cancels a move (kafka-reassign-partitions, KIP-455). */
  alterPartitionReassignments(
    request: AlterPartitionReassignmentsRequest,
  ): Promise<AlterPartitionReassignmentsResponse>;
  /** The reassignments in progress (KIP-455). */
  listPartitionReassignments(request: ListPartitionReassignmentsRequest): Promise<ListPartitionReassignmentsResponse>;
}
