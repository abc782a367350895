/**
 * The one table of Kafka error codes kq knows: code, Kafka's name (Errors.java), whether a client
 * may retry (Kafka's RetriableException subclasses), and a message saying what happened and what
 * to do. Callers use the named constants, `ErrorCode.CORRUPT_MESSAGE`, never raw numbers.
 */

// [code, name, retriable, message]
const ERRORS = [
  [-1, 'UNKNOWN_SERVER_ERROR', false, 'The server hit an unexpected error; check the broker log.'],
  [0, 'NONE', false, 'No error.'],
  [
    1,
    'OFFSET_OUT_OF_RANGE',
    false,
    'The requested offset is outside the range the partition holds; reset to earliest or latest.',
  ],
  [2, 'CORRUPT_MESSAGE', true, 'The record batch failed its CRC or size check; the producer should resend it.'],
  [
    3,
    'UNKNOWN_TOPIC_OR_PARTITION',
    true,
    'This broker does not host that topic or partition; refresh metadata or create the topic.',
  ],
  [4, 'INVALID_FETCH_SIZE', false, 'The requested fetch size is invalid.'],
  [
    5,
    'LEADER_NOT_AVAILABLE',
    true,
    'The partition has no leader right now (election in progress); retry after a metadata refresh.',
  ],
  [
    6,
    'NOT_LEADER_OR_FOLLOWER',
    true,
    'This broker is not the leader (or a follower) for the partition; refresh metadata and retry.',
  ],
  [7, 'REQUEST_TIMED_OUT', true, 'The request timed out on the broker, e.g. waiting for acks=all replication.'],
  [8, 'BROKER_NOT_AVAILABLE', false, 'The broker is not available.'],
  [9, 'REPLICA_NOT_AVAILABLE', true, 'The replica is not available for the requested partition.'],
  [
    10,
    'MESSAGE_TOO_LARGE',
    false,
    'The batch is larger than message.max.bytes; send smaller batches or raise the limit.',
  ],
  [11, 'STALE_CONTROLLER_EPOCH', false, 'The controller epoch is stale.'],
  [12, 'OFFSET_METADATA_TOO_LARGE', false, 'The metadata string of the committed offset is too large.'],
  [13, 'NETWORK_EXCEPTION', true, 'The server disconnected before a response was received.'],
  [14, 'COORDINATOR_LOAD_IN_PROGRESS', true, 'The coordinator is loading group state; retry shortly.'],
  [15, 'COORDINATOR_NOT_AVAILABLE', true, 'The group coordinator is not available; retry FindCoordinator.'],
  [
    16,
    'NOT_COORDINATOR',
    true,
    'This broker is not the coordinator for the group; look it up again with FindCoordinator.',
  ],
  [17, 'INVALID_TOPIC_EXCEPTION', false, 'Topic names use [a-zA-Z0-9._-], 1-249 characters, and are not "." or "..".'],
  [18, 'RECORD_LIST_TOO_LARGE', false, 'The request included a record set larger than the segment size.'],
  [
    19,
    'NOT_ENOUGH_REPLICAS',
    true,
    'Fewer in-sync replicas than min.insync.replicas; the write was rejected, retry later.',
  ],
  [
    20,
    'NOT_ENOUGH_REPLICAS_AFTER_APPEND',
    true,
    'The write reached the leader but the ISR shrank below min.insync.replicas before it was acknowledged.',
  ],
  [21, 'INVALID_REQUIRED_ACKS', false, 'acks must be 0, 1 or -1 (all).'],
  [22, 'ILLEGAL_GENERATION', false, 'The group generation is stale; rejoin the group.'],
  [
    23,
    'INCONSISTENT_GROUP_PROTOCOL',
    false,
    'The member supports no assignment protocol that the whole group supports.',
  ],
  [24, 'INVALID_GROUP_ID', false, 'The group id is empty or invalid.'],
  [25, 'UNKNOWN_MEMBER_ID', false, 'The coordinator does not know this member id; rejoin with an empty member id.'],
  [26, 'INVALID_SESSION_TIMEOUT', false, "The session timeout is outside the broker's allowed range."],
  [27, 'REBALANCE_IN_PROGRESS', false, 'The group is rebalancing; rejoin it.'],
  [28, 'INVALID_COMMIT_OFFSET_SIZE', false, 'The committing offset data size is not valid.'],
  [29, 'TOPIC_AUTHORIZATION_FAILED', false, 'Not authorized to access the topic.'],
  [30, 'GROUP_AUTHORIZATION_FAILED', false, 'Not authorized to access the group.'],
  [31, 'CLUSTER_AUTHORIZATION_FAILED', false, 'The cluster authorization failed.'],
  [32, 'INVALID_TIMESTAMP', false, 'The timestamp of a record is out of the acceptable range.'],
  [33, 'UNSUPPORTED_SASL_MECHANISM', false, 'The broker does not support the requested SASL mechanism.'],
  [34, 'ILLEGAL_SASL_STATE', false, 'The request is not valid given the current SASL state.'],
  [
    35,
    'UNSUPPORTED_VERSION',
    false,
    'The broker does not support this version of the API; use a version from its ApiVersions answer.',
  ],
  [36, 'TOPIC_ALREADY_EXISTS', false, 'The topic already exists.'],
  [37, 'INVALID_PARTITIONS', false, 'The number of partitions is invalid (must be at least 1, and can only grow).'],
  [
    38,
    'INVALID_REPLICATION_FACTOR',
    false,
    'The replication factor is invalid (at least 1, at most the number of brokers).',
  ],
  [39, 'INVALID_REPLICA_ASSIGNMENT', false, 'The replica assignment is invalid.'],
  [40, 'INVALID_CONFIG', false, 'The configuration is invalid.'],
  [41, 'NOT_CONTROLLER', true, 'This is not the correct controller for this cluster.'],
  [42, 'INVALID_REQUEST', false, 'The request is malformed or inconsistent; this is a client bug.'],
  [
    43,
    'UNSUPPORTED_FOR_MESSAGE_FORMAT',
    false,
    'The message format version on the broker does not support the request.',
  ],
  [44, 'POLICY_VIOLATION', false, 'The request parameters do not satisfy the configured policy.'],
  [
    45,
    'OUT_OF_ORDER_SEQUENCE_NUMBER',
    false,
    'The broker received an out of order sequence number from an idempotent producer.',
  ],
  [46, 'DUPLICATE_SEQUENCE_NUMBER', false, 'The broker received a duplicate sequence number.'],
  [
    47,
    'INVALID_PRODUCER_EPOCH',
    false,
    'The producer epoch is stale; another producer with the same transactional id took over.',
  ],
  [48, 'INVALID_TXN_STATE', false, 'The producer attempted a transactional operation in an invalid state.'],
  [49, 'INVALID_PRODUCER_ID_MAPPING', false, 'The producer id does not match the transactional id.'],
  [50, 'INVALID_TRANSACTION_TIMEOUT', false, 'The transaction timeout is larger than transaction.max.timeout.ms.'],
  [
    51,
    'CONCURRENT_TRANSACTIONS',
    true,
    'The producer attempted to update a transaction while another concurrent operation on the same transaction was ongoing.',
  ],
  [
    52,
    'TRANSACTION_COORDINATOR_FENCED',
    false,
    'The transaction coordinator is no longer the current coordinator for the producer.',
  ],
  [53, 'TRANSACTIONAL_ID_AUTHORIZATION_FAILED', false, 'Transactional id authorization failed.'],
  [54, 'SECURITY_DISABLED', false, 'Security features are disabled.'],
  [
    55,
    'OPERATION_NOT_ATTEMPTED',
    false,
    'The broker did not attempt this operation because another part of the batch failed.',
  ],
  [56, 'KAFKA_STORAGE_ERROR', true, 'Disk error when trying to access the log file on the disk.'],
  [57, 'LOG_DIR_NOT_FOUND', false, 'The user-specified log directory is not found in the broker config.'],
  [58, 'SASL_AUTHENTICATION_FAILED', false, 'SASL authentication failed; check the credentials.'],
  [59, 'UNKNOWN_PRODUCER_ID', false, 'The broker has no state for this producer id (it may have expired).'],
  [60, 'REASSIGNMENT_IN_PROGRESS', false, 'A partition reassignment is in progress.'],
  [61, 'DELEGATION_TOKEN_AUTH_DISABLED', false, 'Delegation token feature is not enabled.'],
  [62, 'DELEGATION_TOKEN_NOT_FOUND', false, 'Delegation token is not found on server.'],
  [63, 'DELEGATION_TOKEN_OWNER_MISMATCH', false, 'Specified principal is not a valid owner or renewer.'],
  [64, 'DELEGATION_TOKEN_REQUEST_NOT_ALLOWED', false, 'Delegation token requests are not allowed on this connection.'],
  [65, 'DELEGATION_TOKEN_AUTHORIZATION_FAILED', false, 'Delegation token authorization failed.'],
  [66, 'DELEGATION_TOKEN_EXPIRED', false, 'Delegation token is expired.'],
  [67, 'INVALID_PRINCIPAL_TYPE', false, 'Supplied principal type is not supported.'],
  [68, 'NON_EMPTY_GROUP', false, 'The group is not empty; stop its consumers first.'],
  [69, 'GROUP_ID_NOT_FOUND', false, 'The group id does not exist.'],
  [70, 'FETCH_SESSION_ID_NOT_FOUND', true, 'The fetch session id was not found.'],
  [71, 'INVALID_FETCH_SESSION_EPOCH', true, 'The fetch session epoch is invalid.'],
  [72, 'LISTENER_NOT_FOUND', true, 'No matching listener on the leader broker.'],
  [73, 'TOPIC_DELETION_DISABLED', false, 'Topic deletion is disabled on this broker.'],
  [74, 'FENCED_LEADER_EPOCH', true, "The leader epoch in the request is older than the broker's; refresh metadata."],
  [75, 'UNKNOWN_LEADER_EPOCH', true, "The leader epoch in the request is newer than the broker's; retry shortly."],
  [
    76,
    'UNSUPPORTED_COMPRESSION_TYPE',
    false,
    'The requesting client does not support the compression type of the data.',
  ],
  [77, 'STALE_BROKER_EPOCH', false, 'Broker epoch has changed.'],
  [78, 'OFFSET_NOT_AVAILABLE', true, 'The leader high watermark has not caught up after a leader election; retry.'],
  [79, 'MEMBER_ID_REQUIRED', false, 'The group member needs a member id; rejoin with the id given in this response.'],
  [80, 'PREFERRED_LEADER_NOT_AVAILABLE', true, 'The preferred leader was not available.'],
  [81, 'GROUP_MAX_SIZE_REACHED', false, 'The group has reached its maximum size.'],
  [82, 'FENCED_INSTANCE_ID', false, 'Another consumer with the same group.instance.id has registered.'],
  [83, 'ELIGIBLE_LEADERS_NOT_AVAILABLE', true, 'Eligible topic partition leaders are not available.'],
  [84, 'ELECTION_NOT_NEEDED', true, 'Leader election not needed for the topic partition.'],
  [85, 'NO_REASSIGNMENT_IN_PROGRESS', false, 'No partition reassignment is in progress.'],
  [
    86,
    'GROUP_SUBSCRIBED_TO_TOPIC',
    false,
    'Deleting offsets of a topic is forbidden while the group subscribes to it.',
  ],
  [87, 'INVALID_RECORD', false, 'A record failed broker validation and the whole batch was dropped.'],
  [88, 'UNSTABLE_OFFSET_COMMIT', true, 'There are unstable offsets that need to be cleared.'],
  [89, 'THROTTLING_QUOTA_EXCEEDED', true, 'The throttling quota has been exceeded.'],
  [90, 'PRODUCER_FENCED', false, 'A newer producer with the same transactional id fenced this one.'],
  [91, 'RESOURCE_NOT_FOUND', false, 'A request illegally referred to a resource that does not exist.'],
  [92, 'DUPLICATE_RESOURCE', false, 'A request illegally referred to the same resource twice.'],
  [93, 'UNACCEPTABLE_CREDENTIAL', false, 'Requested credential would not meet criteria for acceptability.'],
  [94, 'INCONSISTENT_VOTER_SET', false, 'The voter set of the request is inconsistent with the quorum.'],
  [95, 'INVALID_UPDATE_VERSION', false, 'The given update version was invalid.'],
  [96, 'FEATURE_UPDATE_FAILED', false, 'Unable to update finalized features.'],
  [97, 'PRINCIPAL_DESERIALIZATION_FAILURE', false, 'The principal in the request could not be deserialized.'],
  [98, 'SNAPSHOT_NOT_FOUND', false, 'The requested snapshot was not found.'],
  [
    99,
    'POSITION_OUT_OF_RANGE',
    false,
    'The requested position is not greater than or equal to zero and less than the snapshot size.',
  ],
  [100, 'UNKNOWN_TOPIC_ID', true, 'This server does not host this topic id.'],
  [101, 'DUPLICATE_BROKER_REGISTRATION', false, 'This broker ID is already in use.'],
  [102, 'BROKER_ID_NOT_REGISTERED', false, 'The given broker ID was not registered.'],
  [104, 'INCONSISTENT_CLUSTER_ID', false, 'The clusterId in the request does not match that found on the server.'],
  [107, 'INELIGIBLE_REPLICA', false, 'The new ISR contains at least one ineligible (fenced or unassigned) replica.'],
  [
    108,
    'NEW_LEADER_ELECTED',
    false,
    'The AlterPartition request successfully updated the partition state but the leader has changed.',
  ],
  [
    114,
    'MISMATCHED_ENDPOINT_TYPE',
    false,
    'The request was sent to an endpoint of the wrong type: DescribeCluster for the controllers goes to a controller listener.',
  ],
] as const;

type ErrorRow = (typeof ERRORS)[number];
export type ErrorName = ErrorRow[1];

/** Named constants for every known code: `ErrorCode.NOT_LEADER_OR_FOLLOWER === 6`. */
export const ErrorCode = Object.freeze(Object.fromEntries(ERRORS.map(([code, name]) => [name, code]))) as {
  readonly [R in ErrorRow as R[1]]: R[0];
};
export type ErrorCode = ErrorRow[0];

export interface ErrorInfo {
  readonly code: number;
  readonly name: string;
  readonly retriable: boolean;
  readonly message: string;
}

export const ERROR_CODES: readonly ErrorInfo[] = ERRORS.map(([code, name, retriable, message]) => ({
  code,
  name,
  retriable,
  message,
}));

const BY_CODE = new Map<number, ErrorInfo>(ERROR_CODES.map((info) => [info.code, info]));

/** The table row for a code; unknown codes (from a newer peer) map to a generic, non-retriable row. */
export function errorInfo(code: number): ErrorInfo {
  return (
    BY_CODE.get(code) ?? {
      code,
      name: `UNKNOWN_ERROR_CODE_${code}`,
      retriable: false,
      message: `Kafka error code ${code} is not in kq's table; look it up in Kafka's Errors.java.`,
    }
  );
}
