import type { ApiRequestHandler, ImmediateResponse, Request, Response } from '../network/index.js';
import { API_KEYS, ApiKey, apiKeyInfo, MIN_SERVED_PRODUCE_VERSION } from '../protocol/api-keys.js';
import type { ApiKeyInfo } from '../protocol/api-keys.js';
import { API_CODECS } from '../protocol/api-registry.js';
import type { ApiRequest, ApiResponse } from '../protocol/api-registry.js';
import { manualAssignmentError } from '../controller/partition-reassignment.js';
import { ErrorCode, errorInfo } from '../protocol/error-codes.js';
import { ZERO_UUID } from '../protocol/schema/message-codec.js';
import type { FetchPartitionResponse } from '../protocol/fetch/response.js';
import type { FetchPartitionResult, ProducePartitionResult } from './replica-manager.js';
import type { ListOffsetsPartitionResponse } from '../protocol/list-offsets/response.js';
import { hasValidClientSoftware } from '../protocol/api-versions/request.js';
import { requestsAllTopics } from '../protocol/metadata/request.js';
import type { MetadataResponseTopic } from '../protocol/metadata/response.js';
import { ByteReader } from '../protocol/primitives/byte-reader.js';
import { ByteWriter } from '../protocol/primitives/byte-writer.js';
import type { ProducePartitionResponse } from '../protocol/produce/response.js';
import { ProtocolError } from '../protocol/protocol-errors.js';
import { decodeRequestHeader, writeResponseHeader } from '../protocol/request-header.js';
import type { RequestHeader } from '../protocol/request-header.js';
import type { GroupCoordinator, GroupRequestContext } from '../group/group-coordinator.js';
import type { TransactionCoordinator } from '../transaction/transaction-coordinator.js';
import type { KafkaConfig } from './kafka-config.js';
import type { AdminManager } from './admin-manager.js';
import type { LogManager } from './log-manager.js';
import type { ReplicaManager } from './replica-manager.js';
import { INTERNAL_TOPICS, topicNameProblem } from './topic-name.js';
import { metadataResponseFromImage } from './kraft-metadata-cache.js';
import type { RaftApis } from '../raft/kafka-raft-manager.js';
import type { ControllerApis } from '../metadata/controller-apis.js';
import { ConfigAdminManager } from './config-admin-manager.js';
import type { OffsetsTopicCoordination } from './offsets-topic-coordination.js';
import { EndpointType } from '../protocol/describe-cluster/request.js';
import type { DescribeLogDirsPartition } from '../protocol/describe-log-dirs/response.js';
import { statfsSync } from 'node:fs';
import { ReadBufferPool, type ReadBufferLease } from '../log/read-buffer-pool.js';

/** The listener the broker advertises in Metadata: the host and port it was started with. */
export interface AdvertisedListener {
  readonly host: string;
  readonly port: number;
}

/**
 * The APIs this broker serves, with their advertised version ranges taken from the codec's api-keys table.
 * FindCoordinator must be there even for clients that use no groups: librdkafka enables LZ4 only when the broker
 * lists FindCoordinator v0 (its feature map uses it to recognise Kafka ≥ 0.8.2).
 */
const SERVED_APIS: ReadonlySet<ApiKey> = new Set<ApiKey>([
  ApiKey.Produce,
  ApiKey.Fetch,
  ApiKey.ListOffsets,
  ApiKey.Metadata,
  ApiKey.FindCoordinator,
  ApiKey.ApiVersions,
  ApiKey.CreateTopics,
  ApiKey.DeleteTopics,
  ApiKey.CreatePartitions,
  ApiKey.DeleteRecords,
  // Forwarded to the active controller (kafka-leader-election, kafka-reassign-partitions).
  ApiKey.ElectLeaders,
  ApiKey.AlterPartitionReassignments,
  ApiKey.ListPartitionReassignments,
  // Admin clients: the cluster, configs (ConfigAdminManager) and log dirs.
  ApiKey.DescribeCluster,
  ApiKey.DescribeConfigs,
  ApiKey.AlterConfigs,
  ApiKey.IncrementalAlterConfigs,
  ApiKey.DescribeLogDirs,
  // Idempotent producers get their producer id here (the TransactionCoordinator's one API kq serves).
  ApiKey.InitProducerId,
  ApiKey.OffsetForLeaderEpoch,
  // The GroupCoordinator's APIs.
  ApiKey.JoinGroup,
  ApiKey.SyncGroup,
  ApiKey.Heartbeat,
  ApiKey.LeaveGroup,
  ApiKey.OffsetCommit,
  ApiKey.OffsetFetch,
  ApiKey.DescribeGroups,
  ApiKey.ListGroups,
]);
export const ADVERTISED_APIS: readonly ApiKeyInfo[] = API_KEYS.filter((info) => SERVED_APIS.has(info.key));

/** KRaft's RPCs (KIP-595): served, and advertised in ApiVersions, only by a node that runs a KafkaRaftManager. */
const RAFT_APIS: ReadonlySet<ApiKey> = new Set<ApiKey>([
  ApiKey.Vote,
  ApiKey.BeginQuorumEpoch,
  ApiKey.EndQuorumEpoch,
  ApiKey.DescribeQuorum,
]);

/** The controller's RPCs (KIP-631, KIP-497): served, and advertised, only by a node that runs a QuorumController. */
const CONTROLLER_APIS: ReadonlySet<ApiKey> = new Set<ApiKey>([
  ApiKey.AlterPartition,
  ApiKey.BrokerRegistration,
  ApiKey.BrokerHeartbeat,
  ApiKey.AllocateProducerIds,
]);

/** A KRaft node's controller side as KafkaApis sees it. */
export interface KafkaApisController {
  /** This node's QuorumController: answers BrokerRegistration, BrokerHeartbeat, AlterPartition. */
  readonly local?: ControllerApis;
  /** The active controller (wherever it runs): CreateTopics, DeleteTopics, CreatePartitions are forwarded there. */
  readonly forwarding?: ControllerApis;
}

type ProduceResponses = ApiResponse<typeof ApiKey.Produce>['responses'];

/** A request the broker will not answer; the network layer closes its connection (Kafka does the same). */
class CloseConnection extends Error {}

const UNKNOWN_PARTITION = { errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION };
/** Kafka's ApiError(ELECTION_NOT_NEEDED) carries the code's default message. */
const ELECTION_NOT_NEEDED = {
  errorCode: ErrorCode.ELECTION_NOT_NEEDED,
  errorMessage: errorInfo(ErrorCode.ELECTION_NOT_NEEDED).message,
};
const LIST_OFFSETS_LATEST = -1n;
const LIST_OFFSETS_EARLIEST = -2n;
const LIST_OFFSETS_MAX_TIMESTAMP = -3n;
const LIST_OFFSETS_EARLIEST_LOCAL = -4n;
/** replica_id of a debugging tool: may read from followers (Kafka's FetchRequest.DEBUGGING_CONSUMER_ID). */
const DEBUGGING_REPLICA_ID = -2;
/** Kafka's "not requested" value for authorized-operations fields. */
const AUTHORIZED_OPERATIONS_OMITTED = -2147483648;
/**
 * Every operation on the cluster resource, as a bit per Kafka AclOperation code: CREATE 5, ALTER 7, DESCRIBE 8,
 * CLUSTER_ACTION 9, DESCRIBE_CONFIGS 10, ALTER_CONFIGS 11, IDEMPOTENT_WRITE 12 (what Kafka without an authorizer
 * reports).
 */
const ALL_CLUSTER_OPERATIONS = [5, 7, 8, 9, 10, 11, 12].reduce((bits, op) => bits | (1 << op), 0);

/**
 * The API layer (Kafka's `KafkaApis`): decodes each request frame, dispatches it through ONE exhaustive switch
 * on the api key to a `handleXxxRequest` method, and encodes the response. It decides per request whether to
 * send, send nothing (Produce acks=0) or close the connection (unknown api key, unsupported version, a frame
 * that does not decode) — the network layer's `send` / `noop` / `close`.
 *
 * Owns no state of its own beyond the advertised listener: data goes through ReplicaManager, topic
 * administration (create/delete topics, create partitions, delete records, auto-creation) through AdminManager,
 * groups through GroupCoordinator; topic metadata is read from LogManager. Several request handlers call `handle` concurrently (interleaved at awaits on the one
 * event-loop thread); every handler body runs synchronously except Fetch's long poll.
 */
export class KafkaApis implements ApiRequestHandler {
  private readonly served: ReadonlySet<ApiKey>;
  private readonly advertised: readonly ApiKeyInfo[];

  /** DescribeConfigs, AlterConfigs, IncrementalAlterConfigs. */
  private readonly configAdminManager: ConfigAdminManager;
  /** Buffers the Fetch path reads stored batches into, reused once each response is written. */
  readonly readBuffers = new ReadBufferPool();

  constructor(
    private readonly config: KafkaConfig,
    private readonly logManager: LogManager,
    private readonly replicaManager: ReplicaManager,
    /** Read per request: with port 0 the real port is known only after the listener is bound. */
    private readonly listener: () => AdvertisedListener,
    private readonly clusterId: string,
    private readonly adminManager: AdminManager,
    private readonly groupCoordinator: GroupCoordinator,
    private readonly transactionCoordinator: TransactionCoordinator,
    /** The node's Raft layer, when it is a KRaft node: it answers Vote, …, and Fetch of `__cluster_metadata`. */
    private readonly raft?: RaftApis,
    private readonly controller: KafkaApisController = {},
    /** Replicated mode: names each group's coordinator (the leader of its `__consumer_offsets` partition). */
    private readonly offsetsTopic?: OffsetsTopicCoordination,
  ) {
    this.configAdminManager = new ConfigAdminManager(
      config,
      logManager,
      replicaManager.isReplicated
        ? { image: () => replicaManager.metadataImage, controller: controller.forwarding }
        : undefined,
    );
    this.served = new Set([...SERVED_APIS, ...(raft ? RAFT_APIS : []), ...(controller.local ? CONTROLLER_APIS : [])]);
    this.advertised = raft || controller.local ? API_KEYS.filter((info) => this.served.has(info.key)) : ADVERTISED_APIS;
  }

  async handle(request: Request): Promise<Response> {
    let header: RequestHeader;
    let bodyOffset: number;
    try {
      ({ header, bodyOffset } = decodeRequestHeader(request.frame));
    } catch (error) {
      return close(`request header does not decode: ${describe(error)}`);
    }
    const info = apiKeyInfo(header.apiKey);
    if (!info || !this.served.has(info.key)) return close(`unknown or unserved api key ${header.apiKey}`);
    if (header.apiVersion < info.minVersion || header.apiVersion > info.maxVersion) {
      // KIP-511: a client probing with a newer ApiVersions learns our ranges from a v0 answer and retries.
      if (info.key === ApiKey.ApiVersions)
        return this.send(header, ApiKey.ApiVersions, 0, this.apiVersions(ErrorCode.UNSUPPORTED_VERSION));
      return close(
        `${info.name} v${header.apiVersion} is not supported (served: v${info.minVersion}-${info.maxVersion})`,
      );
    }
    try {
      return await this.dispatch(header, info.key, new ByteReader(request.frame, bodyOffset), request.connectionId);
    } catch (error) {
      if (error instanceof ProtocolError || error instanceof CloseConnection) {
        return close(`${info.name} v${header.apiVersion}: ${error.message}`);
      }
      throw error;
    }
  }

  private async dispatch(
    header: RequestHeader,
    key: ApiKey,
    body: ByteReader,
    connectionId: string,
  ): Promise<Response> {
    const v = header.apiVersion;
    switch (key) {
      case ApiKey.ApiVersions: {
        const request = API_CODECS[key].decodeRequest(v, body);
        if (!hasValidClientSoftware(v, request))
          return this.send(header, key, v, { errorCode: ErrorCode.INVALID_REQUEST, apiKeys: [], throttleTimeMs: 0 });
        return this.send(header, key, v, this.apiVersions(ErrorCode.NONE));
      }
      case ApiKey.Metadata:
        return this.send(header, key, v, this.handleMetadataRequest(v, API_CODECS[key].decodeRequest(v, body)));
      case ApiKey.Produce:
        return this.handleProduceRequest(header, API_CODECS[key].decodeRequest(v, body));
      case ApiKey.Fetch: {
        const request = API_CODECS[key].decodeRequest(v, body);
        if (this.raft?.isMetadataFetch(request, v))
          return this.sendOrPark(header, key, v, this.raft.handleFetchRequest(request, v));
        // The stored batches are read into pooled buffers, returned once the Processor has written the response.
        const lease = this.readBuffers.lease();
        return releasedWhenSent(this.sendOrPark(header, key, v, this.handleFetchRequest(request, v, lease)), lease);
      }
      case ApiKey.ListOffsets:
        return this.send(header, key, v, this.handleListOffsetsRequest(API_CODECS[key].decodeRequest(v, body), v));
      // A KRaft broker forwards topic administration to the active controller (KIP-590); standalone, it does it.
      case ApiKey.CreateTopics: {
        const request = API_CODECS[key].decodeRequest(v, body);
        const forward = this.controller.forwarding;
        if (!forward) return this.send(header, key, v, this.adminManager.createTopics(request));
        return this.sendOrPark(
          header,
          key,
          v,
          forwarded(forward.createTopics(request), (errorCode, errorMessage) => ({
            throttleTimeMs: 0,
            topics: request.topics.map((t) => ({ name: t.name, errorCode, errorMessage })),
          })),
        );
      }
      case ApiKey.DeleteTopics: {
        const request = API_CODECS[key].decodeRequest(v, body);
        const forward = this.controller.forwarding;
        if (!forward) return this.send(header, key, v, this.adminManager.deleteTopics(request, v));
        return this.sendOrPark(
          header,
          key,
          v,
          forwarded(forward.deleteTopics(request, v), (errorCode, errorMessage) => ({
            throttleTimeMs: 0,
            responses: (v >= 6 ? (request.topics ?? []).map((t) => t.name) : request.topicNames).map((name) => ({
              name,
              errorCode,
              errorMessage,
            })),
          })),
        );
      }
      case ApiKey.CreatePartitions: {
        const request = API_CODECS[key].decodeRequest(v, body);
        const forward = this.controller.forwarding;
        if (!forward) return this.send(header, key, v, this.adminManager.createPartitions(request));
        return this.sendOrPark(
          header,
          key,
          v,
          forwarded(forward.createPartitions(request), (errorCode, errorMessage) => ({
            throttleTimeMs: 0,
            results: request.topics.map((t) => ({ name: t.name, errorCode, errorMessage })),
          })),
        );
      }
      case ApiKey.ElectLeaders: {
        const request = API_CODECS[key].decodeRequest(v, body);
        const forward = this.controller.forwarding;
        if (!forward) return this.send(header, key, v, this.handleStandaloneElectLeaders(request));
        return this.sendOrPark(
          header,
          key,
          v,
          forwarded(forward.electLeaders(request), (errorCode, errorMessage) => ({
            throttleTimeMs: 0,
            errorCode,
            replicaElectionResults: (request.topicPartitions ?? []).map((t) => ({
              topic: t.topic,
              partitionResult: t.partitions.map((partitionId) => ({ partitionId, errorCode, errorMessage })),
            })),
          })),
        );
      }
      case ApiKey.AlterPartitionReassignments: {
        const request = API_CODECS[key].decodeRequest(v, body);
        const forward = this.controller.forwarding;
        if (!forward) return this.send(header, key, v, this.handleStandaloneAlterPartitionReassignments(request));
        return this.sendOrPark(
          header,
          key,
          v,
          forwarded(forward.alterPartitionReassignments(request), (errorCode, errorMessage) => ({
            throttleTimeMs: 0,
            allowReplicationFactorChange: request.allowReplicationFactorChange,
            errorCode,
            errorMessage,
            responses: [],
          })),
        );
      }
      case ApiKey.ListPartitionReassignments: {
        const request = API_CODECS[key].decodeRequest(v, body);
        const forward = this.controller.forwarding;
        // Without a controller nothing is ever reassigned: nothing to list.
        if (!forward)
          return this.send(header, key, v, {
            throttleTimeMs: 0,
            errorCode: ErrorCode.NONE,
            errorMessage: null,
            topics: [],
          });
        return this.sendOrPark(
          header,
          key,
          v,
          forwarded(forward.listPartitionReassignments(request), (errorCode, errorMessage) => ({
            throttleTimeMs: 0,
            errorCode,
            errorMessage,
            topics: [],
          })),
        );
      }
      case ApiKey.BrokerRegistration:
        return this.sendOrPark(
          header,
          key,
          v,
          this.controllerApis().registerBroker(API_CODECS[key].decodeRequest(v, body)),
        );
      case ApiKey.BrokerHeartbeat:
        return this.sendOrPark(
          header,
          key,
          v,
          this.controllerApis().processBrokerHeartbeat(API_CODECS[key].decodeRequest(v, body)),
        );
      case ApiKey.AllocateProducerIds:
        return this.sendOrPark(
          header,
          key,
          v,
          this.controllerApis().allocateProducerIds(API_CODECS[key].decodeRequest(v, body)),
        );
      case ApiKey.AlterPartition:
        return this.sendOrPark(
          header,
          key,
          v,
          this.controllerApis().alterPartition(API_CODECS[key].decodeRequest(v, body)),
        );
      case ApiKey.DeleteRecords:
        return this.send(header, key, v, this.adminManager.deleteRecords(API_CODECS[key].decodeRequest(v, body)));
      case ApiKey.FindCoordinator:
        return this.send(header, key, v, this.handleFindCoordinatorRequest(API_CODECS[key].decodeRequest(v, body)));
      case ApiKey.OffsetForLeaderEpoch:
        return this.send(
          header,
          key,
          v,
          this.handleOffsetForLeaderEpochRequest(API_CODECS[key].decodeRequest(v, body)),
        );
      // Group APIs: the GroupCoordinator answers. JoinGroup and SyncGroup may wait for the rebalance to move on
      // (Kafka's DelayedJoin / pending sync): parked, so they hold no request handler meanwhile.
      case ApiKey.JoinGroup:
        return this.sendOrPark(
          header,
          key,
          v,
          this.groupCoordinator.handleJoinGroup(
            API_CODECS[key].decodeRequest(v, body),
            groupContext(header, connectionId),
          ),
        );
      case ApiKey.SyncGroup:
        return this.sendOrPark(
          header,
          key,
          v,
          this.groupCoordinator.handleSyncGroup(
            API_CODECS[key].decodeRequest(v, body),
            groupContext(header, connectionId),
          ),
        );
      case ApiKey.Heartbeat:
        return this.send(header, key, v, this.groupCoordinator.handleHeartbeat(API_CODECS[key].decodeRequest(v, body)));
      case ApiKey.LeaveGroup:
        return this.send(
          header,
          key,
          v,
          this.groupCoordinator.handleLeaveGroup(
            API_CODECS[key].decodeRequest(v, body),
            groupContext(header, connectionId),
          ),
        );
      case ApiKey.OffsetCommit:
        return this.sendOrPark(
          header,
          key,
          v,
          this.handleOffsetCommitRequest(API_CODECS[key].decodeRequest(v, body), groupContext(header, connectionId)),
        );
      case ApiKey.OffsetFetch:
        return this.send(
          header,
          key,
          v,
          this.handleOffsetFetchRequest(API_CODECS[key].decodeRequest(v, body), groupContext(header, connectionId)),
        );
      case ApiKey.DescribeGroups:
        return this.send(
          header,
          key,
          v,
          this.groupCoordinator.handleDescribeGroups(API_CODECS[key].decodeRequest(v, body), v),
        );
      case ApiKey.ListGroups:
        return this.send(
          header,
          key,
          v,
          this.groupCoordinator.handleListGroups(API_CODECS[key].decodeRequest(v, body)),
        );
      case ApiKey.InitProducerId:
        return this.sendOrPark(
          header,
          key,
          v,
          this.transactionCoordinator.handleInitProducerId(API_CODECS[key].decodeRequest(v, body)),
        );
      case ApiKey.Vote:
        return this.send(header, key, v, this.raftApis().handleVoteRequest(API_CODECS[key].decodeRequest(v, body)));
      case ApiKey.BeginQuorumEpoch:
        return this.send(
          header,
          key,
          v,
          this.raftApis().handleBeginQuorumEpochRequest(API_CODECS[key].decodeRequest(v, body)),
        );
      case ApiKey.EndQuorumEpoch:
        return this.send(
          header,
          key,
          v,
          this.raftApis().handleEndQuorumEpochRequest(API_CODECS[key].decodeRequest(v, body)),
        );
      case ApiKey.DescribeQuorum:
        return this.sendOrPark(
          header,
          key,
          v,
          this.raftApis().handleDescribeQuorumRequest(API_CODECS[key].decodeRequest(v, body)),
        );
      case ApiKey.DescribeCluster:
        return this.send(header, key, v, this.handleDescribeClusterRequest(API_CODECS[key].decodeRequest(v, body)));
      case ApiKey.DescribeConfigs:
        return this.send(
          header,
          key,
          v,
          this.configAdminManager.describeConfigs(API_CODECS[key].decodeRequest(v, body)),
        );
      // In a cluster, topic config changes go to the active controller (KIP-590), so the answer may wait.
      case ApiKey.AlterConfigs:
        return this.sendOrPark(
          header,
          key,
          v,
          this.configAdminManager.alterConfigs(API_CODECS[key].decodeRequest(v, body)),
        );
      case ApiKey.IncrementalAlterConfigs:
        return this.sendOrPark(
          header,
          key,
          v,
          this.configAdminManager.incrementalAlterConfigs(API_CODECS[key].decodeRequest(v, body)),
        );
      case ApiKey.DescribeLogDirs:
        return this.send(header, key, v, this.handleDescribeLogDirsRequest(API_CODECS[key].decodeRequest(v, body)));
      default:
        return assertNever(key);
    }
  }

  /**
   * ElectLeaders on a broker without a controller: each partition has one replica, this broker, which is its
   * preferred leader and leads it, so no election is ever needed (ELECTION_NOT_NEEDED); unknown partitions are
   * UNKNOWN_TOPIC_OR_PARTITION. Asked for every partition (null), the answer lists none, as Kafka leaves out those
   * whose election was not needed.
   */
  private handleStandaloneElectLeaders(request: ApiRequest<typeof ApiKey.ElectLeaders>) {
    const replicaElectionResults =
      request.topicPartitions === null
        ? this.logManager.topicNames().map((topic) => ({ topic, partitionResult: [] }))
        : request.topicPartitions.map((t) => ({
            topic: t.topic,
            partitionResult: t.partitions.map((partitionId) => {
              if (!this.logManager.topic(t.topic))
                return { partitionId, ...UNKNOWN_PARTITION, errorMessage: `No such topic as ${t.topic}` };
              if (!this.logManager.log(t.topic, partitionId))
                return {
                  partitionId,
                  ...UNKNOWN_PARTITION,
                  errorMessage: `No such partition as ${t.topic}-${partitionId}`,
                };
              return { partitionId, ...ELECTION_NOT_NEEDED };
            }),
          }));
    return { throttleTimeMs: 0, errorCode: ErrorCode.NONE, replicaElectionResults };
  }

  /**
   * AlterPartitionReassignments on a broker without a controller: the only broker is this one, so the only valid
   * target is [this broker], already in place (nothing to do); any other broker id is not registered
   * (INVALID_REPLICA_ASSIGNMENT, Kafka's text), and a cancel finds nothing in progress (NO_REASSIGNMENT_IN_PROGRESS).
   */
  private handleStandaloneAlterPartitionReassignments(
    request: ApiRequest<typeof ApiKey.AlterPartitionReassignments>,
  ): ApiResponse<typeof ApiKey.AlterPartitionReassignments> {
    const self = this.config.brokerId;
    const responses = request.topics.map((t) => ({
      name: t.name,
      partitions: t.partitions.map(({ partitionIndex, replicas }) => {
        const fail = (errorCode: number, errorMessage: string | null) => ({ partitionIndex, errorCode, errorMessage });
        if (!this.logManager.topic(t.name))
          return fail(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, `Unable to find a topic named ${t.name}.`);
        if (!this.logManager.log(t.name, partitionIndex))
          return fail(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, `Unable to find partition ${t.name}:${partitionIndex}.`);
        if (replicas === null) return fail(ErrorCode.NO_REASSIGNMENT_IN_PROGRESS, null);
        const invalid = manualAssignmentError(replicas, (id) => id === self);
        if (invalid) return fail(ErrorCode.INVALID_REPLICA_ASSIGNMENT, invalid);
        return { partitionIndex, errorCode: ErrorCode.NONE, errorMessage: null };
      }),
    }));
    return {
      throttleTimeMs: 0,
      allowReplicationFactorChange: request.allowReplicationFactorChange,
      errorCode: ErrorCode.NONE,
      errorMessage: null,
      responses,
    };
  }

  /** Only reached on a node with a controller: `handle` closes the connection for CONTROLLER_APIS elsewhere. */
  private controllerApis(): ControllerApis {
    if (!this.controller.local) throw new CloseConnection('this node runs no KRaft controller');
    return this.controller.local;
  }

  /** Only reached on a KRaft node: `handle` closes the connection for RAFT_APIS elsewhere. */
  private raftApis(): RaftApis {
    if (!this.raft) throw new CloseConnection('this node runs no KRaft quorum');
    return this.raft;
  }

  /**
   * DescribeCluster (KIP-700): the brokers and the "controller" exactly as Metadata names them (a KRaft broker names
   * a live broker, KIP-590). Asking a broker for the controllers (endpoint type 2) is refused as Kafka refuses it:
   * only a controller listener answers that.
   */
  handleDescribeClusterRequest(
    request: ApiRequest<typeof ApiKey.DescribeCluster>,
  ): ApiResponse<typeof ApiKey.DescribeCluster> {
    const metadata = this.handleMetadataRequest(12, {
      topics: [],
      allowAutoTopicCreation: false,
      includeClusterAuthorizedOperations: false,
      includeTopicAuthorizedOperations: false,
    });
    if (request.endpointType === EndpointType.CONTROLLER && this.raft) {
      // A KRaft node serves the controller endpoint too (kq's nodes have one listener for both roles): the voters
      // and the quorum leader, what `--bootstrap-controller` (KIP-919) asks before it talks to the controllers.
      const quorum = this.raft.describeControllers();
      return {
        throttleTimeMs: 0,
        errorCode: ErrorCode.NONE,
        errorMessage: null,
        endpointType: EndpointType.CONTROLLER,
        clusterId: this.clusterId,
        controllerId: quorum.leaderId,
        brokers: quorum.voters.map((v) => ({
          brokerId: v.id,
          host: v.host,
          port: v.port,
          rack: null,
          isFenced: false,
        })),
        clusterAuthorizedOperations: request.includeClusterAuthorizedOperations
          ? ALL_CLUSTER_OPERATIONS
          : AUTHORIZED_OPERATIONS_OMITTED,
      };
    }
    if (request.endpointType !== EndpointType.BROKER) {
      // Kafka's broker listener answers for itself (endpoint type BROKER) and names no cluster.
      return {
        throttleTimeMs: 0,
        errorCode: ErrorCode.MISMATCHED_ENDPOINT_TYPE,
        errorMessage:
          'The request was sent to an endpoint of type BROKER, but we wanted an endpoint of type CONTROLLER',
        endpointType: EndpointType.BROKER,
        clusterId: '',
        controllerId: -1,
        brokers: [],
        clusterAuthorizedOperations: AUTHORIZED_OPERATIONS_OMITTED,
      };
    }
    const answer = {
      throttleTimeMs: 0,
      endpointType: EndpointType.BROKER,
      clusterId: metadata.clusterId ?? this.clusterId,
      // kq has no authorizer, so every cluster operation is allowed: Kafka then reports them all.
      clusterAuthorizedOperations: request.includeClusterAuthorizedOperations
        ? ALL_CLUSTER_OPERATIONS
        : AUTHORIZED_OPERATIONS_OMITTED,
    };
    return {
      ...answer,
      errorCode: ErrorCode.NONE,
      errorMessage: null,
      controllerId: metadata.controllerId,
      brokers: metadata.brokers.map((b) => ({
        brokerId: b.nodeId,
        host: b.host,
        port: b.port,
        rack: b.rack,
        isFenced: false,
      })),
    };
  }

  /**
   * DescribeLogDirs: kq has one log dir (the data dir); each partition with its size on disk and its lag behind the
   * high watermark (Kafka's `ReplicaManager.describeLogDirs`: max(HW - LEO, 0)), and from v4 the volume's size and
   * free space. Topics or partitions this broker does not hold are left out, as Kafka does.
   */
  handleDescribeLogDirsRequest(
    request: ApiRequest<typeof ApiKey.DescribeLogDirs>,
  ): ApiResponse<typeof ApiKey.DescribeLogDirs> {
    const wanted =
      request.topics === null ? null : new Map(request.topics.map((t) => [t.topic, new Set(t.partitions)]));
    const byTopic = new Map<string, DescribeLogDirsPartition[]>();
    for (const { topic, partition, log } of this.logManager.partitionLogs()) {
      if (wanted && !wanted.get(topic)?.has(partition)) continue;
      const lag = log.highWatermark - log.logEndOffset;
      const partitions = byTopic.get(topic) ?? [];
      partitions.push({
        partitionIndex: partition,
        partitionSize: BigInt(log.size),
        offsetLag: lag > 0n ? lag : 0n,
        isFutureKey: false,
      });
      byTopic.set(topic, partitions);
    }
    const volume = volumeOf(this.logManager.dataDir);
    return {
      throttleTimeMs: 0,
      errorCode: ErrorCode.NONE,
      results: [
        {
          errorCode: ErrorCode.NONE,
          logDir: this.logManager.dataDir,
          topics: [...byTopic].map(([name, partitions]) => ({ name, partitions })),
          totalBytes: volume.totalBytes,
          usableBytes: volume.usableBytes,
          isCordoned: false,
        },
      ],
    };
  }

  private apiVersions(errorCode: number): ApiResponse<typeof ApiKey.ApiVersions> {
    return {
      errorCode,
      apiKeys: this.advertised.map(({ key, minVersion, maxVersion }) => ({ apiKey: key, minVersion, maxVersion })),
      throttleTimeMs: 0,
    };
  }

  handleMetadataRequest(
    version: number,
    request: ApiRequest<typeof ApiKey.Metadata>,
  ): ApiResponse<typeof ApiKey.Metadata> {
    // v10+ may ask for a topic by id (name null from v12): an id the broker does not know is UNKNOWN_TOPIC_ID.
    const asked = requestsAllTopics(version, request)
      ? null
      : (request.topics ?? []).map((t) => ({ name: t.name, topicId: t.topicId ?? ZERO_UUID }));
    const image = this.replicaManager.metadataImage;
    if (image) {
      // Replicated: the metadata image answers; ids are resolved to names first and reported back after.
      const named = asked?.map((t) => ({ ...t, name: t.name || this.replicaManager.topicName(t.topicId) || '' }));
      const response = metadataResponseFromImage(
        image,
        named?.map((t) => t.name) ?? null,
        this.clusterId,
        this.config.brokerId,
      );
      const autoCreate = request.allowAutoTopicCreation && this.config.autoCreateTopicsEnable;
      response.topics = response.topics.map((topic, i) => {
        const unknownId = named !== undefined && named[i]!.name === '' && named[i]!.topicId !== ZERO_UUID;
        if (unknownId)
          return { ...topic, errorCode: ErrorCode.UNKNOWN_TOPIC_ID, name: null, topicId: named[i]!.topicId };
        const forward = this.controller.forwarding;
        if (autoCreate && forward && topic.errorCode === ErrorCode.UNKNOWN_TOPIC_OR_PARTITION && topic.name) {
          // Kafka's AutoTopicCreationManager on a KRaft broker: ask the controller, answer "not yet" (retriable);
          // the client's next Metadata finds the topic once the broker has replayed it.
          void forward
            .createTopics({
              topics: [{ name: topic.name, numPartitions: -1, replicationFactor: -1, assignments: [], configs: [] }],
              timeoutMs: this.config.requestTimeoutMs,
              validateOnly: false,
            })
            .catch(() => undefined);
          return { ...topic, errorCode: ErrorCode.LEADER_NOT_AVAILABLE };
        }
        return { ...topic, topicId: this.replicaManager.topicId(topic.name ?? '') ?? ZERO_UUID };
      });
      return response;
    }
    const allowAutoCreate = request.allowAutoTopicCreation && this.config.autoCreateTopicsEnable;
    const topics = (asked ?? this.logManager.topicNames().map((name) => ({ name, topicId: ZERO_UUID }))).map(
      (t): MetadataResponseTopic => {
        if (t.topicId !== ZERO_UUID && !t.name) {
          const known = this.replicaManager.topicName(t.topicId);
          if (known === undefined) {
            return {
              errorCode: ErrorCode.UNKNOWN_TOPIC_ID,
              name: null,
              topicId: t.topicId,
              isInternal: false,
              partitions: [],
              topicAuthorizedOperations: AUTHORIZED_OPERATIONS_OMITTED,
            };
          }
          t.name = known;
        }
        const name = t.name ?? '';
        const empty = (errorCode: number): MetadataResponseTopic => ({
          errorCode,
          name,
          topicId: ZERO_UUID,
          isInternal: INTERNAL_TOPICS.has(name),
          partitions: [],
          topicAuthorizedOperations: AUTHORIZED_OPERATIONS_OMITTED,
        });
        if (!this.logManager.topic(name)) {
          if (topicNameProblem(name)) return empty(ErrorCode.INVALID_TOPIC_EXCEPTION);
          if (!allowAutoCreate) return empty(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
          const created = this.adminManager.autoCreateTopic(name);
          if (created !== ErrorCode.NONE) return empty(created);
        }
        return this.topicMetadata(name);
      },
    );
    return {
      throttleTimeMs: 0,
      brokers: [{ nodeId: this.config.brokerId, host: this.listener().host, port: this.listener().port, rack: null }],
      clusterId: this.clusterId,
      controllerId: this.config.brokerId,
      topics,
      clusterAuthorizedOperations: AUTHORIZED_OPERATIONS_OMITTED,
      errorCode: ErrorCode.NONE,
    };
  }

  private topicMetadata(name: string): MetadataResponseTopic {
    const topic = this.logManager.topic(name);
    const partitions = (topic?.logs ?? []).flatMap((_, index) => {
      const partition = this.replicaManager.getPartition(name, index);
      if (!partition) return [];
      return [
        {
          errorCode: ErrorCode.NONE,
          partitionIndex: index,
          leaderId: partition.leaderId,
          leaderEpoch: partition.leaderEpoch,
          replicaNodes: [...partition.assignedReplicas],
          isrNodes: [...partition.isr],
          offlineReplicas: [],
        },
      ];
    });
    return {
      errorCode: ErrorCode.NONE,
      name,
      topicId: this.replicaManager.topicId(name) ?? ZERO_UUID,
      isInternal: INTERNAL_TOPICS.has(name),
      partitions,
      topicAuthorizedOperations: AUTHORIZED_OPERATIONS_OMITTED,
    };
  }

  /**
   * Produce: v0-2 are refused with UNSUPPORTED_VERSION like Kafka 4.0 (KAFKA-18659) although advertised,
   * because librdkafka enables compression only when the advertised range starts at 0. acks=0 gets no
   * response; if anything failed, the connection is closed instead, which is the only way an acks=0 client
   * learns of an error (Kafka does the same).
   */
  handleProduceRequest(header: RequestHeader, request: ApiRequest<typeof ApiKey.Produce>): Response {
    const v = header.apiVersion;
    // v13 names topics by id (KIP-516); the rest of the path goes by name, '' for an id this broker does not know.
    if (v >= 13) {
      request = {
        ...request,
        topics: request.topics.map((t) => ({
          ...t,
          name: this.replicaManager.topicName(t.topicId ?? ZERO_UUID) ?? '',
        })),
      };
    }
    const refuse = (errorCode: number, message: string | null) =>
      request.topics.map((t) => ({
        name: t.name,
        topicId: t.topicId ?? ZERO_UUID,
        partitions: t.partitions.map((p) => produceError(p.partitionIndex, errorCode, message)),
      }));
    let responses: ProduceResponses | Promise<ProduceResponses>;
    if (v < MIN_SERVED_PRODUCE_VERSION) {
      responses = refuse(
        ErrorCode.UNSUPPORTED_VERSION,
        `Produce v${v} is not supported; use v${MIN_SERVED_PRODUCE_VERSION} or later (RecordBatch v2).`,
      );
    } else if (request.transactionalId !== null) {
      responses = refuse(
        ErrorCode.INVALID_REQUEST,
        'Transactions are not supported by kq’s broker; produce without a transactional id.',
      );
    } else {
      responses = this.appendTopics(request, v >= 13);
    }
    const respond = (r: ProduceResponses): ImmediateResponse => {
      const failed = r.some((t) => t.partitions.some((p) => p.errorCode !== ErrorCode.NONE));
      if (request.acks === 0)
        return failed ? close('acks=0 produce failed; closing so the producer notices') : { kind: 'noop' };
      return this.send(header, ApiKey.Produce, v, { responses: r, throttleTimeMs: 0 });
    };
    // acks=all waits in the produce purgatory (DelayedProduce) until the ISR has the batches.
    if (responses instanceof Promise) return { kind: 'deferred', completion: responses.then(respond) };
    return respond(responses);
  }

  /**
   * Appends every partition of the request in one ReplicaManager call, so one acks=all wait covers them all.
   * Checked in Kafka's order (KafkaApis.handleProduceRequest, then ReplicaManager.appendRecords): an unknown topic
   * id (v13+), then a partition the metadata does not have (UNKNOWN_TOPIC_OR_PARTITION), and only for the
   * partitions left, acks (INVALID_REQUIRED_ACKS) and then internal or badly named topics. Refused partitions answer
   * at once; the rest carry the replica manager's per-partition result.
   */
  private appendTopics(
    request: ApiRequest<typeof ApiKey.Produce>,
    byId: boolean,
  ): ProduceResponses | Promise<ProduceResponses> {
    const refused = new Map<number, ProducePartitionResponse[]>();
    const entries: Array<{ topic: string; partition: number; records: Buffer | null }> = [];
    for (const [index, topic] of request.topics.entries()) {
      if (byId && topic.name === '') {
        const message = `This broker has no topic with id ${topic.topicId ?? ZERO_UUID}.`;
        refused.set(
          index,
          topic.partitions.map((p) => produceError(p.partitionIndex, ErrorCode.UNKNOWN_TOPIC_ID, message)),
        );
        continue;
      }
      if (!validAcks(request.acks)) {
        // KafkaApis answers partitions missing from its metadata cache itself; the ReplicaManager refuses the
        // rest for their acks before it looks at anything else.
        refused.set(
          index,
          topic.partitions.map((p) =>
            this.metadataHasPartition(topic.name, p.partitionIndex)
              ? produceError(
                  p.partitionIndex,
                  ErrorCode.INVALID_REQUIRED_ACKS,
                  `acks=${request.acks} is not valid; use 0, 1 or -1 (all).`,
                )
              : produceError(
                  p.partitionIndex,
                  ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
                  `This broker does not host ${topic.name}-${p.partitionIndex}.`,
                ),
          ),
        );
        continue;
      }
      // Internal topics are written by the broker itself (the GroupCoordinator), never by clients, as in Kafka's
      // ReplicaManager (internalTopicsAllowed is false for client produce).
      const problem = INTERNAL_TOPICS.has(topic.name)
        ? `${topic.name} is an internal topic; clients cannot produce to it`
        : topicNameProblem(topic.name);
      if (problem) {
        refused.set(
          index,
          topic.partitions.map((p) => produceError(p.partitionIndex, ErrorCode.INVALID_TOPIC_EXCEPTION, problem)),
        );
        continue;
      }
      // A produce never creates a topic, as in Kafka: an unknown topic is UNKNOWN_TOPIC_OR_PARTITION (from the
      // replica manager); auto-creation happens only on Metadata, which producers send first.
      for (const p of topic.partitions)
        entries.push({ topic: topic.name, partition: p.partitionIndex, records: p.records });
    }
    const assemble = (results: ProducePartitionResult[]): ProduceResponses =>
      request.topics.map((topic, index) => ({
        name: topic.name,
        topicId: topic.topicId ?? ZERO_UUID,
        partitions:
          refused.get(index) ??
          results
            .filter((r) => r.topic === topic.name)
            .map((r) => ({
              partitionIndex: r.partition,
              errorCode: r.errorCode,
              baseOffset: r.baseOffset,
              logAppendTimeMs: r.logAppendTimeMs,
              // Kafka reports -1 for a partition in error (PartitionResponse's default), not the log's start
              logStartOffset: r.errorCode === ErrorCode.NONE ? r.logStartOffset : -1n,
              recordErrors: [],
              errorMessage: r.errorMessage,
            })),
      }));
    const results = this.replicaManager.appendRecords(entries, request.acks, request.timeoutMs);
    return results instanceof Promise ? results.then(assemble) : assemble(results);
  }

  /** Whether the cluster's metadata has this partition (Kafka's metadataCache.contains), hosted here or not. */
  private metadataHasPartition(topic: string, partition: number): boolean {
    const image = this.replicaManager.metadataImage;
    if (image) return image.partition(topic, partition) !== undefined;
    return this.replicaManager.getPartition(topic, partition) !== undefined;
  }

  /**
   * The response now, or — when the fetch waits in the purgatory for min_bytes — a promise of it. From v13 topics
   * are named by id (KIP-516): an id this broker does not know is UNKNOWN_TOPIC_ID for its partitions. From v15
   * the fetching replica's id is in replica_state (KIP-903).
   */
  handleFetchRequest(
    request: ApiRequest<typeof ApiKey.Fetch>,
    version = 12,
    lease?: ReadBufferLease,
  ): ApiResponse<typeof ApiKey.Fetch> | Promise<ApiResponse<typeof ApiKey.Fetch>> {
    const byId = version >= 13;
    const named = request.topics.map((t) => ({
      ...t,
      topic: byId ? (this.replicaManager.topicName(t.topicId ?? ZERO_UUID) ?? '') : t.topic,
    }));
    const replicaId = version >= 15 ? (request.replicaState?.replicaId ?? -1) : request.replicaId;
    const partitions = named.flatMap((t) =>
      t.topic === ''
        ? []
        : t.partitions.map((p) => ({
            topic: t.topic,
            partition: p.partition,
            fetchOffset: p.fetchOffset,
            partitionMaxBytes: p.partitionMaxBytes,
            currentLeaderEpoch: p.currentLeaderEpoch,
          })),
    );
    const fenced = new Map<string, number>();
    for (const p of partitions) {
      const error = this.leaderEpochError(p.topic, p.partition, p.currentLeaderEpoch);
      if (error !== ErrorCode.NONE) fenced.set(`${p.topic}-${p.partition}`, error);
    }
    const results = this.replicaManager.fetchMessages({
      maxWaitMs: fenced.size > 0 ? 0 : request.maxWaitMs,
      minBytes: request.minBytes,
      maxBytes: request.maxBytes,
      // replica_id >= 0 is a follower replica: it reads to the log end, and its fetch offset is its LEO.
      isolation: replicaId >= 0 ? 'LOG_END' : 'HIGH_WATERMARK',
      replicaId,
      // v11 added rack_id: from then on a consumer may fetch from a follower (KIP-392), as Kafka allows
      fetchOnlyLeader: replicaId >= 0 || version < 11,
      partitions: partitions.filter((p) => !fenced.has(`${p.topic}-${p.partition}`)),
      allocate: lease?.allocate,
    });
    const respond = (results: FetchPartitionResult[]): ApiResponse<typeof ApiKey.Fetch> => {
      const byKey = new Map(results.map((r) => [`${r.topic}-${r.partition}`, r]));
      return {
        throttleTimeMs: 0,
        errorCode: ErrorCode.NONE,
        // kq keeps no incremental fetch sessions (KIP-227): session 0 tells the client to send full requests.
        sessionId: 0,
        responses: named.map((t) => ({
          topic: t.topic,
          topicId: t.topicId ?? ZERO_UUID,
          partitions: t.partitions.map((p): FetchPartitionResponse => {
            const key = `${t.topic}-${p.partition}`;
            const r = t.topic === '' ? undefined : byKey.get(key);
            const unknown = t.topic === '' && byId ? ErrorCode.UNKNOWN_TOPIC_ID : ErrorCode.UNKNOWN_TOPIC_OR_PARTITION;
            const errorCode = fenced.get(key) ?? r?.errorCode ?? unknown;
            // A partition in error is answered as Apache Kafka does (seen by test/oracle): -1 offsets and empty,
            // not null, records; an unknown partition also carries an empty aborted-transactions list.
            const failed = errorCode !== ErrorCode.NONE;
            const highWatermark = failed ? -1n : (r?.highWatermark ?? -1n);
            return {
              partitionIndex: p.partition,
              errorCode,
              highWatermark,
              // No transactions, so the last stable offset is the high watermark.
              lastStableOffset: highWatermark,
              logStartOffset: failed ? -1n : (r?.logStartOffset ?? -1n),
              abortedTransactions:
                request.isolationLevel === 1 ||
                errorCode === ErrorCode.UNKNOWN_TOPIC_OR_PARTITION ||
                errorCode === ErrorCode.UNKNOWN_TOPIC_ID
                  ? []
                  : null,
              preferredReadReplica: -1,
              records: failed ? EMPTY_RECORDS : (r?.records ?? null),
            };
          }),
        })),
      };
    };
    return results instanceof Promise ? results.then(respond) : respond(results);
  }

  handleListOffsetsRequest(
    request: ApiRequest<typeof ApiKey.ListOffsets>,
    version = 5,
  ): ApiResponse<typeof ApiKey.ListOffsets> {
    return {
      throttleTimeMs: 0,
      topics: request.topics.map((t) => ({
        name: t.name,
        partitions: t.partitions.map((p): ListOffsetsPartitionResponse => {
          const answer = (errorCode: number, offset = -1n, timestamp = -1n, leaderEpoch = -1) => ({
            partitionIndex: p.partitionIndex,
            errorCode,
            timestamp,
            offset,
            leaderEpoch,
          });
          const partition = this.replicaManager.getPartition(t.name, p.partitionIndex);
          if (!partition) return answer(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
          const epochError = this.leaderEpochError(t.name, p.partitionIndex, p.currentLeaderEpoch);
          if (epochError !== ErrorCode.NONE) return answer(epochError);
          if (!partition.isLeader) return answer(ErrorCode.NOT_LEADER_OR_FOLLOWER);
          if (p.timestamp === LIST_OFFSETS_EARLIEST)
            return answer(ErrorCode.NONE, partition.logStartOffset, -1n, partition.leaderEpoch);
          // "latest" is the high watermark: a consumer may not read past it (equal to the LEO on one broker).
          if (p.timestamp === LIST_OFFSETS_LATEST)
            return answer(ErrorCode.NONE, partition.highWatermark, -1n, partition.leaderEpoch);
          // v8 (KIP-405): the earliest offset on local disk, which without tiered storage is the log start.
          if (p.timestamp === LIST_OFFSETS_EARLIEST_LOCAL && version >= 8) {
            const localLogStartOffset = partition.logStartOffset;
            return answer(ErrorCode.NONE, localLogStartOffset, -1n, partition.leaderEpoch);
          }
          // v7 (KIP-734): the record with the largest timestamp.
          if (p.timestamp === LIST_OFFSETS_MAX_TIMESTAMP && version >= 7) {
            const max = partition.log.fetchOffsetOfMaxTimestamp();
            if (!max) return answer(ErrorCode.NONE, -1n, -1n, partition.leaderEpoch);
            return answer(ErrorCode.NONE, max.offset, BigInt(max.timestamp), partition.leaderEpoch);
          }
          if (p.timestamp < 0n) return answer(ErrorCode.UNSUPPORTED_VERSION);
          const found = partition.log.fetchOffsetByTimestamp(Number(p.timestamp));
          // no record at or after the timestamp: Kafka answers offset, timestamp and leader epoch all -1
          if (!found) return answer(ErrorCode.NONE);
          return answer(ErrorCode.NONE, found.offset, BigInt(found.timestamp), partition.leaderEpoch);
        }),
      })),
    };
  }

  /**
   * KIP-101/KIP-279: where each asked-for leader epoch ends in this leader's log. Followers ask after a leader
   * change to find the divergence point; replica_id -2 (a debugging tool) may also ask a follower.
   */
  handleOffsetForLeaderEpochRequest(
    request: ApiRequest<typeof ApiKey.OffsetForLeaderEpoch>,
  ): ApiResponse<typeof ApiKey.OffsetForLeaderEpoch> {
    return {
      throttleTimeMs: 0,
      topics: request.topics.map((t) => ({
        topic: t.topic,
        partitions: t.partitions.map((p) => ({
          partition: p.partition,
          ...this.replicaManager.lastOffsetForLeaderEpoch(
            t.topic,
            p.partition,
            p.currentLeaderEpoch,
            p.leaderEpoch,
            request.replicaId !== DEBUGGING_REPLICA_ID,
          ),
        })),
      })),
    };
  }

  /**
   * One broker: every group's coordinator is this broker (it leads every __consumer_offsets partition).
   * Replicated: the leader of the group's partition in this broker's metadata image.
   */
  handleFindCoordinatorRequest(
    request: ApiRequest<typeof ApiKey.FindCoordinator>,
  ): ApiResponse<typeof ApiKey.FindCoordinator> {
    const image = this.replicaManager.metadataImage;
    const offsetsTopic = this.offsetsTopic;
    if (offsetsTopic && image)
      return this.groupCoordinator.handleFindCoordinator(request, (groupId) =>
        offsetsTopic.coordinatorFor(groupId, image),
      );
    const { host, port } = this.listener();
    return this.groupCoordinator.handleFindCoordinator(request, () => ({ nodeId: this.config.brokerId, host, port }));
  }

  /**
   * OffsetCommit v10 names topics by id: the GroupCoordinator keeps offsets by name, so ids are resolved here
   * and put back on the answer; partitions of an id this broker does not know are UNKNOWN_TOPIC_ID.
   */
  private handleOffsetCommitRequest(
    request: ApiRequest<typeof ApiKey.OffsetCommit>,
    context: GroupRequestContext,
  ): ApiResponse<typeof ApiKey.OffsetCommit> | Promise<ApiResponse<typeof ApiKey.OffsetCommit>> {
    if (context.apiVersion < 10) return this.groupCoordinator.handleCommitOffsets(request, context);
    const named = request.topics.map((t) => ({ ...t, name: this.replicaManager.topicName(t.topicId ?? ZERO_UUID) }));
    const known = named.filter((t): t is typeof t & { name: string } => t.name !== undefined);
    const response = this.groupCoordinator.handleCommitOffsets({ ...request, topics: known }, context);
    const byId = (answer: ApiResponse<typeof ApiKey.OffsetCommit>) => this.offsetCommitById(named, answer);
    return response instanceof Promise ? response.then(byId) : byId(response);
  }

  /** OffsetCommit v10's answer: every topic asked, by id, with the coordinator's answer for the known ones. */
  private offsetCommitById(
    named: ReadonlyArray<
      Omit<ApiRequest<typeof ApiKey.OffsetCommit>['topics'][number], 'name'> & { name: string | undefined }
    >,
    response: ApiResponse<typeof ApiKey.OffsetCommit>,
  ): ApiResponse<typeof ApiKey.OffsetCommit> {
    const answered = new Map(response.topics.map((t) => [t.name, t]));
    return {
      ...response,
      topics: named.map((t) => ({
        name: t.name ?? '',
        topicId: t.topicId ?? ZERO_UUID,
        partitions:
          (t.name !== undefined ? answered.get(t.name)?.partitions : undefined) ??
          t.partitions.map((p) => ({ partitionIndex: p.partitionIndex, errorCode: ErrorCode.UNKNOWN_TOPIC_ID })),
      })),
    };
  }

  /** OffsetFetch v10 names topics by id: resolved as for OffsetCommit, and every answered topic carries its id. */
  private handleOffsetFetchRequest(
    request: ApiRequest<typeof ApiKey.OffsetFetch>,
    context: GroupRequestContext,
  ): ApiResponse<typeof ApiKey.OffsetFetch> {
    if (context.apiVersion < 10) return this.groupCoordinator.handleFetchOffsets(request, context);
    const groups = (request.groups ?? []).map((g) => ({
      ...g,
      topics:
        g.topics?.map((t) => ({ ...t, name: this.replicaManager.topicName(t.topicId ?? ZERO_UUID) ?? '' })) ?? null,
    }));
    const response = this.groupCoordinator.handleFetchOffsets({ ...request, groups }, context);
    return {
      ...response,
      groups: response.groups?.map((g, i) => ({
        ...g,
        topics: g.topics.map((t, j) => {
          const asked = groups[i]?.topics?.[j];
          if (asked && asked.name === '') {
            return {
              ...t,
              topicId: asked.topicId ?? ZERO_UUID,
              partitions: t.partitions.map((p) => ({ ...p, errorCode: ErrorCode.UNKNOWN_TOPIC_ID })),
            };
          }
          return { ...t, topicId: this.replicaManager.topicId(t.name) ?? ZERO_UUID };
        }),
      })),
    };
  }

  /** KIP-320: a client that knows a leader epoch is fenced if it is older than ours, told to wait if newer. */
  private leaderEpochError(topic: string, partition: number, currentLeaderEpoch: number): number {
    if (currentLeaderEpoch < 0) return ErrorCode.NONE;
    const p = this.replicaManager.getPartition(topic, partition);
    if (!p) return ErrorCode.NONE;
    if (currentLeaderEpoch < p.leaderEpoch) return ErrorCode.FENCED_LEADER_EPOCH;
    if (currentLeaderEpoch > p.leaderEpoch) return ErrorCode.UNKNOWN_LEADER_EPOCH;
    return ErrorCode.NONE;
  }

  /** Response header (v1 where the response schema says its header is flexible, else v0) + body. */
  private send<K extends ApiKey>(
    header: RequestHeader,
    key: K,
    version: number,
    response: ApiResponse<K>,
  ): ImmediateResponse {
    const writer = new ByteWriter();
    const codec = API_CODECS[key];
    writeResponseHeader(writer, header.correlationId, codec.response.hasFlexibleHeader(version));
    codec.encodeResponse(version, response, writer);
    // Chunks, not one Buffer: record sets of 4 KiB and more (a Fetch's stored batches) stay referenced.
    return { kind: 'send', payload: writer.toChunks() };
  }

  /**
   * A handler's result as a response. The API handlers are synchronous except where a request waits in a
   * purgatory; those return a promise, which becomes a `deferred` response so the request handler is free.
   */
  private sendOrPark<K extends ApiKey>(
    header: RequestHeader,
    key: K,
    version: number,
    result: ApiResponse<K> | Promise<ApiResponse<K>>,
  ): Response {
    if (!(result instanceof Promise)) return this.send(header, key, version, result);
    return { kind: 'deferred', completion: result.then((response) => this.send(header, key, version, response)) };
  }
}

const EMPTY_RECORDS = Buffer.alloc(0);

/**
 * The response with `lease` released once the Processor is done with its payload (see `ImmediateResponse`). Only
 * a `send` references the leased bytes; anything else releases at once. A completion that fails leaves the lease
 * unreleased: its buffers are then simply collected, never reused while referenced.
 */
function releasedWhenSent(response: Response, lease: ReadBufferLease): Response {
  const attach = (immediate: ImmediateResponse): ImmediateResponse => {
    if (immediate.kind === 'send') return { ...immediate, onComplete: () => lease.release() };
    lease.release();
    return immediate;
  };
  return response.kind === 'deferred'
    ? { kind: 'deferred', completion: response.completion.then(attach) }
    : attach(response);
}

function produceError(
  partitionIndex: number,
  errorCode: number,
  errorMessage: string | null,
): ProducePartitionResponse {
  return {
    partitionIndex,
    errorCode,
    baseOffset: -1n,
    logAppendTimeMs: -1n,
    logStartOffset: -1n,
    recordErrors: [],
    errorMessage,
  };
}

/**
 * A forwarded admin request's answer; when no controller answered in time, every topic gets REQUEST_TIMED_OUT
 * (retriable: the client asks again, as it would after a controller failover in Kafka).
 */
async function forwarded<R>(answer: Promise<R>, failed: (errorCode: number, errorMessage: string) => R): Promise<R> {
  try {
    return await answer;
  } catch (error) {
    return failed(ErrorCode.REQUEST_TIMED_OUT, `no active controller answered: ${describe(error)}`);
  }
}

function close(reason: string): ImmediateResponse {
  return { kind: 'close', reason };
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function assertNever(value: never): never {
  throw new Error(`unhandled api key ${String(value)}`);
}

/** Who sent a group request. Kafka's client host is the peer address from the connection id `local-remote-…`. */
function groupContext(header: RequestHeader, connectionId: string): GroupRequestContext {
  const remote = connectionId.split('-')[1] ?? '';
  const host = remote.replace(/:\d+$/, '').replace(/^\[(.*)\]$/, '$1');
  return { apiVersion: header.apiVersion, clientId: header.clientId ?? '', clientHost: `/${host}` };
}

/** The acks a producer may ask for: 0 (none), 1 (the leader) and -1 (all in-sync replicas). */
function validAcks(acks: number): boolean {
  return acks === 0 || acks === 1 || acks === -1;
}

/** The size and free space (for this process's user) of the volume holding `dir`; -1 each when unknown. */
function volumeOf(dir: string): { totalBytes: bigint; usableBytes: bigint } {
  try {
    const fs = statfsSync(dir, { bigint: true });
    return { totalBytes: fs.blocks * fs.bsize, usableBytes: fs.bavail * fs.bsize };
  } catch {
    return { totalBytes: -1n, usableBytes: -1n };
  }
}
