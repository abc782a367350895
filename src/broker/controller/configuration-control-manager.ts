import { ConfigResourceType } from '../metadata/metadata-records.js';
import type { ClearElrRecord, ConfigRecord } from '../metadata/metadata-records.js';
import type { AlterConfigsResourceResponse } from '../protocol/alter-configs/response.js';
import { ErrorCode } from '../protocol/error-codes.js';
import { AlterConfigOp } from '../protocol/incremental-alter-configs/request.js';
import type { IncrementalAlterConfigsRequest } from '../protocol/incremental-alter-configs/request.js';
import type { ReplicationControlManager } from './replication-control-manager.js';

/** What one IncrementalAlterConfigs asks of the controller: the records to write and the answer per resource. */
export interface ConfigChanges {
  readonly records: ConfigRecord[];
  readonly responses: AlterConfigsResourceResponse[];
}

/**
 * Topic configs in the metadata log (Kafka's `ConfigurationControlManager.incrementalAlterConfigs`): each topic
 * resource's SET and DELETE operations become ConfigRecords (a null value deletes the override), after the topic is
 * checked to exist and every value set is checked by `validate` (TopicConfig's rules). A refused resource writes
 * nothing; validate_only writes nothing at all. Brokers forward their clients' AlterConfigs and
 * IncrementalAlterConfigs for topics here already resolved to SET/DELETE (APPEND and SUBTRACT need the list's
 * current value, which the broker has), so only those two operations are accepted. Pure: the QuorumController
 * appends the records.
 */
export function incrementalAlterConfigChanges(
  request: IncrementalAlterConfigsRequest,
  replication: ReplicationControlManager,
  validate: (name: string, value: string) => string | null,
): ConfigChanges {
  const records: ConfigRecord[] = [];
  const responses = request.resources.map((resource): AlterConfigsResourceResponse => {
    const answer = (errorCode: number, errorMessage: string | null = null): AlterConfigsResourceResponse => ({
      errorCode,
      errorMessage,
      resourceType: resource.resourceType,
      resourceName: resource.resourceName,
    });
    if (resource.resourceType !== ConfigResourceType.TOPIC)
      return answer(
        ErrorCode.INVALID_REQUEST,
        `the controller alters topic configs only, not resource type ${resource.resourceType}`,
      );
    if (!replication.topic(resource.resourceName))
      return answer(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, `The topic '${resource.resourceName}' does not exist.`);
    const changes: ConfigRecord[] = [];
    for (const op of resource.configs) {
      if (op.configOperation === AlterConfigOp.DELETE) {
        changes.push(configRecord(resource.resourceName, op.name, null));
        continue;
      }
      if (op.configOperation !== AlterConfigOp.SET || op.value === null)
        return answer(
          ErrorCode.INVALID_REQUEST,
          `the controller takes SET (with a value) and DELETE, not operation ${op.configOperation}`,
        );
      const problem = validate(op.name, op.value);
      if (problem !== null) return answer(ErrorCode.INVALID_CONFIG, problem);
      changes.push(configRecord(resource.resourceName, op.name, op.value));
    }
    if (!request.validateOnly) records.push(...changes);
    return answer(ErrorCode.NONE);
  });
  return { records, responses };
}

function configRecord(topic: string, name: string, value: string | null): ConfigRecord {
  return { type: 'ConfigRecord', resourceType: ConfigResourceType.TOPIC, resourceName: topic, name, value };
}

/**
 * Kafka's `createClearElrRecordsAsNeeded` (KIP-966): with ELR enabled, every `min.insync.replicas` change clears
 * the ELRs it governs — a topic's for a topic config, every topic's for a cluster-wide one. Who was eligible under
 * the old minimum is not known to be under the new one; the next ISR change fills the ELR again by the new rule.
 */
export function createClearElrRecordsAsNeeded(
  records: readonly ConfigRecord[],
  eligibleLeaderReplicasEnabled: boolean,
): ClearElrRecord[] {
  if (!eligibleLeaderReplicasEnabled) return [];
  return records
    .filter((r) => r.name === 'min.insync.replicas')
    .map((r) => ({
      type: 'ClearElrRecord',
      topicName: r.resourceType === ConfigResourceType.TOPIC ? r.resourceName : '',
    }));
}
