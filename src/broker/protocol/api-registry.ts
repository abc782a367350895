import { API_KEYS, ApiKey } from './api-keys.js';
import type { ApiKeyInfo } from './api-keys.js';
import { apiVersionsRequestCodec } from './api-versions/request.js';
import type { ApiVersionsRequest } from './api-versions/request.js';
import { apiVersionsResponseCodec } from './api-versions/response.js';
import type { ApiVersionsResponse } from './api-versions/response.js';
import { alterPartitionRequestCodec } from './alter-partition/request.js';
import type { AlterPartitionRequest } from './alter-partition/request.js';
import { alterPartitionResponseCodec } from './alter-partition/response.js';
import type { AlterPartitionResponse } from './alter-partition/response.js';
import { brokerHeartbeatRequestCodec } from './broker-heartbeat/request.js';
import type { BrokerHeartbeatRequest } from './broker-heartbeat/request.js';
import type { AllocateProducerIdsRequest } from './allocate-producer-ids/request.js';
import type { AllocateProducerIdsResponse } from './allocate-producer-ids/response.js';
import { allocateProducerIdsRequestCodec } from './allocate-producer-ids/request.js';
import { allocateProducerIdsResponseCodec } from './allocate-producer-ids/response.js';
import { brokerHeartbeatResponseCodec } from './broker-heartbeat/response.js';
import type { BrokerHeartbeatResponse } from './broker-heartbeat/response.js';
import { brokerRegistrationRequestCodec } from './broker-registration/request.js';
import type { BrokerRegistrationRequest } from './broker-registration/request.js';
import { brokerRegistrationResponseCodec } from './broker-registration/response.js';
import type { BrokerRegistrationResponse } from './broker-registration/response.js';
import { beginQuorumEpochRequestCodec } from './begin-quorum-epoch/request.js';
import type { BeginQuorumEpochRequest } from './begin-quorum-epoch/request.js';
import { beginQuorumEpochResponseCodec } from './begin-quorum-epoch/response.js';
import type { QuorumEpochResponse } from './begin-quorum-epoch/response.js';
import { describeQuorumRequestCodec } from './describe-quorum/request.js';
import type { DescribeQuorumRequest } from './describe-quorum/request.js';
import { describeQuorumResponseCodec } from './describe-quorum/response.js';
import type { DescribeQuorumResponse } from './describe-quorum/response.js';
import { endQuorumEpochRequestCodec } from './end-quorum-epoch/request.js';
import type { EndQuorumEpochRequest } from './end-quorum-epoch/request.js';
import { endQuorumEpochResponseCodec } from './end-quorum-epoch/response.js';
import { voteRequestCodec } from './vote/request.js';
import type { VoteRequest } from './vote/request.js';
import { voteResponseCodec } from './vote/response.js';
import type { VoteResponse } from './vote/response.js';
import { createPartitionsRequestCodec } from './create-partitions/request.js';
import { alterPartitionReassignmentsRequestCodec } from './alter-partition-reassignments/request.js';
import type { AlterPartitionReassignmentsRequest } from './alter-partition-reassignments/request.js';
import { alterPartitionReassignmentsResponseCodec } from './alter-partition-reassignments/response.js';
import type { AlterPartitionReassignmentsResponse } from './alter-partition-reassignments/response.js';
import { listPartitionReassignmentsRequestCodec } from './list-partition-reassignments/request.js';
import type { ListPartitionReassignmentsRequest } from './list-partition-reassignments/request.js';
import { listPartitionReassignmentsResponseCodec } from './list-partition-reassignments/response.js';
import type { ListPartitionReassignmentsResponse } from './list-partition-reassignments/response.js';
import { electLeadersRequestCodec } from './elect-leaders/request.js';
import type { ElectLeadersRequest } from './elect-leaders/request.js';
import { electLeadersResponseCodec } from './elect-leaders/response.js';
import type { ElectLeadersResponse } from './elect-leaders/response.js';
import type { CreatePartitionsRequest } from './create-partitions/request.js';
import { createPartitionsResponseCodec } from './create-partitions/response.js';
import type { CreatePartitionsResponse } from './create-partitions/response.js';
import { createTopicsRequestCodec } from './create-topics/request.js';
import type { CreateTopicsRequest } from './create-topics/request.js';
import { createTopicsResponseCodec } from './create-topics/response.js';
import type { CreateTopicsResponse } from './create-topics/response.js';
import { deleteRecordsRequestCodec } from './delete-records/request.js';
import type { DeleteRecordsRequest } from './delete-records/request.js';
import { deleteRecordsResponseCodec } from './delete-records/response.js';
import type { DeleteRecordsResponse } from './delete-records/response.js';
import { deleteTopicsRequestCodec } from './delete-topics/request.js';
import type { DeleteTopicsRequest } from './delete-topics/request.js';
import { deleteTopicsResponseCodec } from './delete-topics/response.js';
import type { DeleteTopicsResponse } from './delete-topics/response.js';
import { describeGroupsRequestCodec } from './describe-groups/request.js';
import type { DescribeGroupsRequest } from './describe-groups/request.js';
import { describeGroupsResponseCodec } from './describe-groups/response.js';
import type { DescribeGroupsResponse } from './describe-groups/response.js';
import { describeConfigsRequestCodec } from './describe-configs/request.js';
import type { DescribeConfigsRequest } from './describe-configs/request.js';
import { describeConfigsResponseCodec } from './describe-configs/response.js';
import type { DescribeConfigsResponse } from './describe-configs/response.js';
import { alterConfigsRequestCodec } from './alter-configs/request.js';
import type { AlterConfigsRequest } from './alter-configs/request.js';
import { alterConfigsResponseCodec } from './alter-configs/response.js';
import type { AlterConfigsResponse } from './alter-configs/response.js';
import { describeLogDirsRequestCodec } from './describe-log-dirs/request.js';
import type { DescribeLogDirsRequest } from './describe-log-dirs/request.js';
import { describeLogDirsResponseCodec } from './describe-log-dirs/response.js';
import type { DescribeLogDirsResponse } from './describe-log-dirs/response.js';
import { incrementalAlterConfigsRequestCodec } from './incremental-alter-configs/request.js';
import type { IncrementalAlterConfigsRequest } from './incremental-alter-configs/request.js';
import { incrementalAlterConfigsResponseCodec } from './incremental-alter-configs/response.js';
import type { IncrementalAlterConfigsResponse } from './incremental-alter-configs/response.js';
import { describeClusterRequestCodec } from './describe-cluster/request.js';
import type { DescribeClusterRequest } from './describe-cluster/request.js';
import { describeClusterResponseCodec } from './describe-cluster/response.js';
import type { DescribeClusterResponse } from './describe-cluster/response.js';
import { fetchRequestCodec } from './fetch/request.js';
import type { FetchRequest } from './fetch/request.js';
import { fetchResponseCodec } from './fetch/response.js';
import type { FetchResponse } from './fetch/response.js';
import { findCoordinatorRequestCodec } from './find-coordinator/request.js';
import type { FindCoordinatorRequest } from './find-coordinator/request.js';
import { findCoordinatorResponseCodec } from './find-coordinator/response.js';
import type { FindCoordinatorResponse } from './find-coordinator/response.js';
import { heartbeatRequestCodec } from './heartbeat/request.js';
import type { HeartbeatRequest } from './heartbeat/request.js';
import { heartbeatResponseCodec } from './heartbeat/response.js';
import type { HeartbeatResponse } from './heartbeat/response.js';
import { initProducerIdRequestCodec } from './init-producer-id/request.js';
import type { InitProducerIdRequest } from './init-producer-id/request.js';
import { initProducerIdResponseCodec } from './init-producer-id/response.js';
import type { InitProducerIdResponse } from './init-producer-id/response.js';
import { joinGroupRequestCodec } from './join-group/request.js';
import type { JoinGroupRequest } from './join-group/request.js';
import { joinGroupResponseCodec } from './join-group/response.js';
import type { JoinGroupResponse } from './join-group/response.js';
import { leaveGroupRequestCodec } from './leave-group/request.js';
import type { LeaveGroupRequest } from './leave-group/request.js';
import { leaveGroupResponseCodec } from './leave-group/response.js';
import type { LeaveGroupResponse } from './leave-group/response.js';
import { listGroupsRequestCodec } from './list-groups/request.js';
import type { ListGroupsRequest } from './list-groups/request.js';
import { listGroupsResponseCodec } from './list-groups/response.js';
import type { ListGroupsResponse } from './list-groups/response.js';
import { listOffsetsRequestCodec } from './list-offsets/request.js';
import type { ListOffsetsRequest } from './list-offsets/request.js';
import { listOffsetsResponseCodec } from './list-offsets/response.js';
import type { ListOffsetsResponse } from './list-offsets/response.js';
import { metadataRequestCodec } from './metadata/request.js';
import type { MetadataRequest } from './metadata/request.js';
import { metadataResponseCodec } from './metadata/response.js';
import type { MetadataResponse } from './metadata/response.js';
import { offsetCommitRequestCodec } from './offset-commit/request.js';
import type { OffsetCommitRequest } from './offset-commit/request.js';
import { offsetCommitResponseCodec } from './offset-commit/response.js';
import type { OffsetCommitResponse } from './offset-commit/response.js';
import { offsetFetchRequestCodec } from './offset-fetch/request.js';
import type { OffsetFetchRequest } from './offset-fetch/request.js';
import { offsetFetchResponseCodec } from './offset-fetch/response.js';
import type { OffsetFetchResponse } from './offset-fetch/response.js';
import { offsetForLeaderEpochRequestCodec } from './offset-for-leader-epoch/request.js';
import type { OffsetForLeaderEpochRequest } from './offset-for-leader-epoch/request.js';
import { offsetForLeaderEpochResponseCodec } from './offset-for-leader-epoch/response.js';
import type { OffsetForLeaderEpochResponse } from './offset-for-leader-epoch/response.js';
import { produceRequestCodec } from './produce/request.js';
import type { ProduceRequest } from './produce/request.js';
import { produceResponseCodec } from './produce/response.js';
import type { ProduceResponse } from './produce/response.js';
import { syncGroupRequestCodec } from './sync-group/request.js';
import type { SyncGroupRequest } from './sync-group/request.js';
import { syncGroupResponseCodec } from './sync-group/response.js';
import type { SyncGroupResponse } from './sync-group/response.js';
import type { ByteReader } from './primitives/byte-reader.js';
import type { ByteWriter } from './primitives/byte-writer.js';
import type { MessageCodec } from './schema/message-codec.js';

/** The request and response type of every API, by key: the type-level half of the registry. */
export interface ApiMessages {
  [ApiKey.Produce]: { request: ProduceRequest; response: ProduceResponse };
  [ApiKey.Fetch]: { request: FetchRequest; response: FetchResponse };
  [ApiKey.ListOffsets]: { request: ListOffsetsRequest; response: ListOffsetsResponse };
  [ApiKey.Metadata]: { request: MetadataRequest; response: MetadataResponse };
  [ApiKey.OffsetCommit]: { request: OffsetCommitRequest; response: OffsetCommitResponse };
  [ApiKey.OffsetFetch]: { request: OffsetFetchRequest; response: OffsetFetchResponse };
  [ApiKey.FindCoordinator]: { request: FindCoordinatorRequest; response: FindCoordinatorResponse };
  [ApiKey.JoinGroup]: { request: JoinGroupRequest; response: JoinGroupResponse };
  [ApiKey.Heartbeat]: { request: HeartbeatRequest; response: HeartbeatResponse };
  [ApiKey.LeaveGroup]: { request: LeaveGroupRequest; response: LeaveGroupResponse };
  [ApiKey.SyncGroup]: { request: SyncGroupRequest; response: SyncGroupResponse };
  [ApiKey.DescribeGroups]: { request: DescribeGroupsRequest; response: DescribeGroupsResponse };
  [ApiKey.ListGroups]: { request: ListGroupsRequest; response: ListGroupsResponse };
  [ApiKey.ApiVersions]: { request: ApiVersionsRequest; response: ApiVersionsResponse };
  [ApiKey.CreateTopics]: { request: CreateTopicsRequest; response: CreateTopicsResponse };
  [ApiKey.DeleteTopics]: { request: DeleteTopicsRequest; response: DeleteTopicsResponse };
  [ApiKey.DeleteRecords]: { request: DeleteRecordsRequest; response: DeleteRecordsResponse };
  [ApiKey.InitProducerId]: { request: InitProducerIdRequest; response: InitProducerIdResponse };
  [ApiKey.CreatePartitions]: { request: CreatePartitionsRequest; response: CreatePartitionsResponse };
  [ApiKey.ElectLeaders]: { request: ElectLeadersRequest; response: ElectLeadersResponse };
  [ApiKey.AlterPartitionReassignments]: {
    request: AlterPartitionReassignmentsRequest;
    response: AlterPartitionReassignmentsResponse;
  };
  [ApiKey.ListPartitionReassignments]: {
    request: ListPartitionReassignmentsRequest;
    response: ListPartitionReassignmentsResponse;
  };
  [ApiKey.OffsetForLeaderEpoch]: { request: OffsetForLeaderEpochRequest; response: OffsetForLeaderEpochResponse };
  [ApiKey.Vote]: { request: VoteRequest; response: VoteResponse };
  [ApiKey.BeginQuorumEpoch]: { request: BeginQuorumEpochRequest; response: QuorumEpochResponse };
  [ApiKey.EndQuorumEpoch]: { request: EndQuorumEpochRequest; response: QuorumEpochResponse };
  [ApiKey.DescribeQuorum]: { request: DescribeQuorumRequest; response: DescribeQuorumResponse };
  [ApiKey.AlterPartition]: { request: AlterPartitionRequest; response: AlterPartitionResponse };
  [ApiKey.BrokerRegistration]: { request: BrokerRegistrationRequest; response: BrokerRegistrationResponse };
  [ApiKey.BrokerHeartbeat]: { request: BrokerHeartbeatRequest; response: BrokerHeartbeatResponse };
  [ApiKey.AllocateProducerIds]: { request: AllocateProducerIdsRequest; response: AllocateProducerIdsResponse };
  [ApiKey.DescribeConfigs]: { request: DescribeConfigsRequest; response: DescribeConfigsResponse };
  [ApiKey.AlterConfigs]: { request: AlterConfigsRequest; response: AlterConfigsResponse };
  [ApiKey.DescribeLogDirs]: { request: DescribeLogDirsRequest; response: DescribeLogDirsResponse };
  [ApiKey.IncrementalAlterConfigs]: {
    request: IncrementalAlterConfigsRequest;
    response: IncrementalAlterConfigsResponse;
  };
  [ApiKey.DescribeCluster]: { request: DescribeClusterRequest; response: DescribeClusterResponse };
}

export type ApiRequest<K extends ApiKey> = ApiMessages[K]['request'];
export type ApiResponse<K extends ApiKey> = ApiMessages[K]['response'];

/** Everything the broker dispatch, the fuzzer and the load generator need to speak one API. */
export interface ApiCodec<Req extends object, Res extends object> {
  readonly info: ApiKeyInfo;
  readonly request: MessageCodec<Req>;
  readonly response: MessageCodec<Res>;
  /** Broker side: the request body (a non-flexible one must be consumed exactly; see apiCodec). */
  decodeRequest(version: number, reader: ByteReader): Req;
  /** Broker side: appends the response body to `writer`. */
  encodeResponse(version: number, response: Res, writer: ByteWriter): void;
  /** Client side: the request body. */
  encodeRequest(version: number, request: Req): Buffer;
  /** Client side: the response body, which must be consumed exactly. */
  decodeResponse(version: number, reader: ByteReader): Res;
}

function apiCodec<Req extends object, Res extends object>(
  key: ApiKey,
  request: MessageCodec<Req>,
  response: MessageCodec<Res>,
): ApiCodec<Req, Res> {
  const info = API_KEYS.find((entry) => entry.key === key);
  if (!info) throw new Error(`api-registry: key ${key} is missing from the API_KEYS table in api-keys.ts`);
  return {
    info,
    request,
    response,
    // Kafka reads a request's fields and ignores any bytes after them (RequestContext.parseRequest): librdkafka
    // 2.16 (confluent-kafka's wheels) sends three such bytes after an all-topics Metadata v13. Flexible bodies are
    // read the same way here; non-flexible ones stay exact, because trailing bytes are how a flexible header sent
    // for a non-flexible request shows (its tag count shifts the body).
    decodeRequest: (version, reader) =>
      request.isFlexible(version) ? request.read(version, reader) : request.decode(version, reader),
    encodeResponse: (version, value, writer) => response.write(version, value, writer),
    encodeRequest: (version, value) => request.encode(version, value),
    decodeResponse: (version, reader) => response.decode(version, reader),
  };
}

/**
 * api key -> codec, so dispatch and fuzzing are table-driven. A test checks that it covers exactly
 * the keys in API_KEYS and that each codec implements every advertised version.
 */
export const API_CODECS: { readonly [K in ApiKey]: ApiCodec<ApiRequest<K>, ApiResponse<K>> } = {
  [ApiKey.Produce]: apiCodec(ApiKey.Produce, produceRequestCodec, produceResponseCodec),
  [ApiKey.Fetch]: apiCodec(ApiKey.Fetch, fetchRequestCodec, fetchResponseCodec),
  [ApiKey.ListOffsets]: apiCodec(ApiKey.ListOffsets, listOffsetsRequestCodec, listOffsetsResponseCodec),
  [ApiKey.Metadata]: apiCodec(ApiKey.Metadata, metadataRequestCodec, metadataResponseCodec),
  [ApiKey.OffsetCommit]: apiCodec(ApiKey.OffsetCommit, offsetCommitRequestCodec, offsetCommitResponseCodec),
  [ApiKey.OffsetFetch]: apiCodec(ApiKey.OffsetFetch, offsetFetchRequestCodec, offsetFetchResponseCodec),
  [ApiKey.FindCoordinator]: apiCodec(ApiKey.FindCoordinator, findCoordinatorRequestCodec, findCoordinatorResponseCodec),
  [ApiKey.JoinGroup]: apiCodec(ApiKey.JoinGroup, joinGroupRequestCodec, joinGroupResponseCodec),
  [ApiKey.Heartbeat]: apiCodec(ApiKey.Heartbeat, heartbeatRequestCodec, heartbeatResponseCodec),
  [ApiKey.LeaveGroup]: apiCodec(ApiKey.LeaveGroup, leaveGroupRequestCodec, leaveGroupResponseCodec),
  [ApiKey.SyncGroup]: apiCodec(ApiKey.SyncGroup, syncGroupRequestCodec, syncGroupResponseCodec),
  [ApiKey.DescribeGroups]: apiCodec(ApiKey.DescribeGroups, describeGroupsRequestCodec, describeGroupsResponseCodec),
  [ApiKey.ListGroups]: apiCodec(ApiKey.ListGroups, listGroupsRequestCodec, listGroupsResponseCodec),
  [ApiKey.ApiVersions]: apiCodec(ApiKey.ApiVersions, apiVersionsRequestCodec, apiVersionsResponseCodec),
  [ApiKey.CreateTopics]: apiCodec(ApiKey.CreateTopics, createTopicsRequestCodec, createTopicsResponseCodec),
  [ApiKey.DeleteTopics]: apiCodec(ApiKey.DeleteTopics, deleteTopicsRequestCodec, deleteTopicsResponseCodec),
  [ApiKey.DeleteRecords]: apiCodec(ApiKey.DeleteRecords, deleteRecordsRequestCodec, deleteRecordsResponseCodec),
  [ApiKey.InitProducerId]: apiCodec(ApiKey.InitProducerId, initProducerIdRequestCodec, initProducerIdResponseCodec),
  [ApiKey.OffsetForLeaderEpoch]: apiCodec(
    ApiKey.OffsetForLeaderEpoch,
    offsetForLeaderEpochRequestCodec,
    offsetForLeaderEpochResponseCodec,
  ),
  [ApiKey.CreatePartitions]: apiCodec(
    ApiKey.CreatePartitions,
    createPartitionsRequestCodec,
    createPartitionsResponseCodec,
  ),
  [ApiKey.ElectLeaders]: apiCodec(ApiKey.ElectLeaders, electLeadersRequestCodec, electLeadersResponseCodec),
  [ApiKey.AlterPartitionReassignments]: apiCodec(
    ApiKey.AlterPartitionReassignments,
    alterPartitionReassignmentsRequestCodec,
    alterPartitionReassignmentsResponseCodec,
  ),
  [ApiKey.ListPartitionReassignments]: apiCodec(
    ApiKey.ListPartitionReassignments,
    listPartitionReassignmentsRequestCodec,
    listPartitionReassignmentsResponseCodec,
  ),
  [ApiKey.Vote]: apiCodec(ApiKey.Vote, voteRequestCodec, voteResponseCodec),
  [ApiKey.BeginQuorumEpoch]: apiCodec(
    ApiKey.BeginQuorumEpoch,
    beginQuorumEpochRequestCodec,
    beginQuorumEpochResponseCodec,
  ),
  [ApiKey.EndQuorumEpoch]: apiCodec(ApiKey.EndQuorumEpoch, endQuorumEpochRequestCodec, endQuorumEpochResponseCodec),
  [ApiKey.DescribeQuorum]: apiCodec(ApiKey.DescribeQuorum, describeQuorumRequestCodec, describeQuorumResponseCodec),
  [ApiKey.AlterPartition]: apiCodec(ApiKey.AlterPartition, alterPartitionRequestCodec, alterPartitionResponseCodec),
  [ApiKey.BrokerRegistration]: apiCodec(
    ApiKey.BrokerRegistration,
    brokerRegistrationRequestCodec,
    brokerRegistrationResponseCodec,
  ),
  [ApiKey.BrokerHeartbeat]: apiCodec(ApiKey.BrokerHeartbeat, brokerHeartbeatRequestCodec, brokerHeartbeatResponseCodec),
  [ApiKey.AllocateProducerIds]: apiCodec(
    ApiKey.AllocateProducerIds,
    allocateProducerIdsRequestCodec,
    allocateProducerIdsResponseCodec,
  ),
  [ApiKey.DescribeConfigs]: apiCodec(ApiKey.DescribeConfigs, describeConfigsRequestCodec, describeConfigsResponseCodec),
  [ApiKey.AlterConfigs]: apiCodec(ApiKey.AlterConfigs, alterConfigsRequestCodec, alterConfigsResponseCodec),
  [ApiKey.DescribeLogDirs]: apiCodec(ApiKey.DescribeLogDirs, describeLogDirsRequestCodec, describeLogDirsResponseCodec),
  [ApiKey.IncrementalAlterConfigs]: apiCodec(
    ApiKey.IncrementalAlterConfigs,
    incrementalAlterConfigsRequestCodec,
    incrementalAlterConfigsResponseCodec,
  ),
  [ApiKey.DescribeCluster]: apiCodec(ApiKey.DescribeCluster, describeClusterRequestCodec, describeClusterResponseCodec),
};

/** The codec for a key known at runtime (e.g. from a request header), or undefined. */
export function apiCodecFor(key: number): ApiCodec<object, object> | undefined {
  return (API_CODECS as Record<number, ApiCodec<object, object> | undefined>)[key];
}
