import type { AlterConfigsResourceResponse } from '../protocol/alter-configs/response.js';
import type { ApiKey } from '../protocol/api-keys.js';
import type { ApiRequest, ApiResponse } from '../protocol/api-registry.js';
import { ConfigResourceType } from '../protocol/describe-configs/request.js';
import type { DescribeConfigsResult } from '../protocol/describe-configs/response.js';
import { ErrorCode } from '../protocol/error-codes.js';
import { AlterConfigOp } from '../protocol/incremental-alter-configs/request.js';
import { brokerConfigEntries, topicConfigEntries } from './config-helper.js';
import type { KafkaConfig } from './kafka-config.js';
import { TopicOperationError, type LogManager } from './log-manager.js';
import { TOPIC_CONFIG_DEF_BY_NAME } from './topic-config-defs.js';
import { topicNameProblem } from './topic-name.js';
import { ConfigError } from './config-def.js';
import { TopicConfig } from './topic-config.js';
import type { ControllerApis } from '../metadata/controller-apis.js';
import type { MetadataImage } from '../metadata/metadata-image.js';
import type { IncrementalAlterConfigsResource } from '../protocol/incremental-alter-configs/request.js';

/**
 * A replicated cluster's view of topic configs: the metadata image holds every topic's overrides (ConfigRecords),
 * and changes go to the active controller, which writes them for every broker (KIP-590 forwarding).
 */
export interface ReplicatedTopicConfigs {
  readonly image: () => MetadataImage | undefined;
  /** Absent (a test's controller double): alters are refused. */
  readonly controller: ControllerApis | undefined;
}

type AlterResponse = ApiResponse<typeof ApiKey.AlterConfigs>;

/** A resource refused as a whole, with Kafka's code and a message saying why. */
class ResourceError extends Error {
  constructor(
    readonly errorCode: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Configs as an admin client sees them (Kafka's `ConfigAdminManager` and `ConfigHelper`): DescribeConfigs,
 * AlterConfigs (the legacy form: the given set replaces the topic's overrides) and IncrementalAlterConfigs (KIP-339:
 * SET, DELETE, APPEND, SUBTRACT per key). Topic configs are validated by TopicConfig and applied by LogManager, so
 * an altered topic config is the one its logs then run with and topics.json keeps. Broker configs are described;
 * kq has no dynamic broker configs, so altering one is refused with Kafka's answer for a config that cannot change
 * while the broker runs. In a replicated cluster topic configs are the metadata image's (ConfigRecords): DescribeConfigs
 * reads them there, and an alter is validated here and forwarded to the active controller as SET/DELETE operations
 * (KIP-590), which writes them for every broker; those answers wait for the controller (a promise). Owns no state;
 * runs on the event loop.
 */
export class ConfigAdminManager {
  constructor(
    private readonly config: KafkaConfig,
    private readonly logManager: LogManager,
    /** Replicated mode: topic configs from the metadata image, changes through the controller. */
    private readonly replicated?: ReplicatedTopicConfigs,
  ) {}

  describeConfigs(request: ApiRequest<typeof ApiKey.DescribeConfigs>): ApiResponse<typeof ApiKey.DescribeConfigs> {
    const options = { includeSynonyms: request.includeSynonyms, includeDocumentation: request.includeDocumentation };
    return {
      throttleTimeMs: 0,
      results: request.resources.map((resource): DescribeConfigsResult => {
        const answer = { resourceType: resource.resourceType, resourceName: resource.resourceName };
        try {
          const all = this.resourceEntries(resource.resourceType, resource.resourceName, options);
          const keys = resource.configurationKeys;
          // Null or no keys both mean every config (kafkajs sends []); unknown keys are left out. Kafka answers
          // success with an empty message.
          const configs = keys === null || keys.length === 0 ? all : all.filter((c) => keys.includes(c.name));
          return { ...answer, errorCode: ErrorCode.NONE, errorMessage: '', configs };
        } catch (error) {
          if (!(error instanceof ResourceError)) throw error;
          return { ...answer, errorCode: error.errorCode, errorMessage: error.message, configs: [] };
        }
      }),
    };
  }

  alterConfigs(request: ApiRequest<typeof ApiKey.AlterConfigs>): AlterResponse | Promise<AlterResponse> {
    return this.forward(
      request.resources.map((resource) =>
        this.answer(resource.resourceType, resource.resourceName, () => {
          refuseDuplicateKeys(resource.configs);
          const nulls = resource.configs.filter((c) => c.value === null).map((c) => c.name);
          if (nulls.length > 0)
            throw new ResourceError(ErrorCode.INVALID_REQUEST, `Null value not supported for : ${nulls.join(', ')}`);
          const overrides = new Map(resource.configs.map((c) => [c.name, c.value!]));
          return this.alter(resource.resourceType, resource.resourceName, () => overrides, request.validateOnly);
        }),
      ),
    );
  }

  incrementalAlterConfigs(
    request: ApiRequest<typeof ApiKey.IncrementalAlterConfigs>,
  ): AlterResponse | Promise<AlterResponse> {
    return this.forward(
      request.resources.map((resource) =>
        this.answer(resource.resourceType, resource.resourceName, () => {
          refuseDuplicateKeys(resource.configs);
          const merge = (current: ReadonlyMap<string, string>): Map<string, string> => {
            const next = new Map(current);
            for (const op of resource.configs) applyOperation(next, op);
            return next;
          };
          return this.alter(resource.resourceType, resource.resourceName, merge, request.validateOnly);
        }),
      ),
    );
  }

  /**
   * The answer, once the changes a replicated cluster's controller must write are written: every resource that
   * became a `forward` goes to the controller in one IncrementalAlterConfigs (SET/DELETE per key), whose answer is
   * that resource's. Nothing to forward: the answer now.
   */
  private forward(
    results: ReadonlyArray<AlterConfigsResourceResponse | IncrementalAlterConfigsResource>,
  ): AlterResponse | Promise<AlterResponse> {
    const forwards = results.filter((r): r is IncrementalAlterConfigsResource => 'configs' in r);
    const settled = (answers: readonly AlterConfigsResourceResponse[]): AlterResponse => {
      let next = 0;
      return { throttleTimeMs: 0, responses: results.map((r) => ('configs' in r ? answers[next++]! : r)) };
    };
    if (forwards.length === 0) return settled([]);
    const refuse = (errorCode: number, errorMessage: string) =>
      forwards.map((r) => ({ errorCode, errorMessage, resourceType: r.resourceType, resourceName: r.resourceName }));
    const controller = this.replicated?.controller;
    if (!controller)
      return settled(refuse(ErrorCode.UNKNOWN_SERVER_ERROR, 'this broker has no controller to send config changes to'));
    return controller.incrementalAlterConfigs({ resources: forwards, validateOnly: false }).then(
      (response) =>
        settled(
          forwards.map(
            (r, i) =>
              response.responses[i] ?? {
                errorCode: ErrorCode.UNKNOWN_SERVER_ERROR,
                errorMessage: 'the controller did not answer for this resource',
                resourceType: r.resourceType,
                resourceName: r.resourceName,
              },
          ),
        ),
      (error: unknown) =>
        settled(
          refuse(
            ErrorCode.REQUEST_TIMED_OUT,
            `no active controller answered: ${error instanceof Error ? error.message : String(error)}`,
          ),
        ),
    );
  }

  private resourceEntries(
    type: number,
    name: string,
    options: { includeSynonyms: boolean; includeDocumentation: boolean },
  ) {
    switch (type) {
      case ConfigResourceType.TOPIC:
        return topicConfigEntries(this.topicConfig(name), this.config, options);
      case ConfigResourceType.BROKER:
        // '' names the cluster-wide dynamic defaults: kq has none.
        return this.checkBroker(name) ? brokerConfigEntries(this.config, options) : [];
      default:
        throw new ResourceError(ErrorCode.INVALID_REQUEST, unsupportedType(type));
    }
  }

  /**
   * Validates and applies one resource's change; `next` turns the current overrides into the new ones. Replicated:
   * validated here, then returned as the SET/DELETE operations the controller is to write (undefined when there is
   * nothing to write: validate_only).
   */
  private alter(
    type: number,
    name: string,
    next: (current: ReadonlyMap<string, string>) => ReadonlyMap<string, string>,
    validateOnly: boolean,
  ): IncrementalAlterConfigsResource | undefined {
    switch (type) {
      case ConfigResourceType.TOPIC: {
        const image = this.replicated?.image();
        if (image) return this.alterInCluster(image, name, next, validateOnly);
        const topic = this.topic(name, `The topic '${name}' does not exist.`);
        this.logManager.alterTopicConfig(name, next(topic.config.overrides), validateOnly);
        return undefined;
      }
      case ConfigResourceType.BROKER: {
        this.checkBroker(name);
        const asked = [...next(new Map()).keys()];
        throw new ResourceError(
          ErrorCode.INVALID_REQUEST,
          `Cannot update these configs dynamically: [${asked.join(', ')}] (kq's broker configs are fixed at start; restart it with --config)`,
        );
      }
      default:
        throw new ResourceError(ErrorCode.INVALID_REQUEST, unsupportedType(type));
    }
  }

  private alterInCluster(
    image: MetadataImage,
    name: string,
    next: (current: ReadonlyMap<string, string>) => ReadonlyMap<string, string>,
    validateOnly: boolean,
  ): IncrementalAlterConfigsResource | undefined {
    const problem = topicNameProblem(name);
    if (problem) throw new ResourceError(ErrorCode.INVALID_TOPIC_EXCEPTION, problem);
    const current = image.topic(name)?.configs;
    if (!current) throw new ResourceError(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, `The topic '${name}' does not exist.`);
    const wanted = next(current);
    try {
      TopicConfig.create(wanted, this.config);
    } catch (error) {
      if (error instanceof ConfigError) throw new ResourceError(ErrorCode.INVALID_CONFIG, error.message);
      throw error;
    }
    if (validateOnly) return undefined;
    const configs = [
      ...[...wanted]
        .filter(([key, value]) => current.get(key) !== value)
        .map(([key, value]) => ({ name: key, configOperation: AlterConfigOp.SET, value })),
      ...[...current.keys()]
        .filter((key) => !wanted.has(key))
        .map((key) => ({ name: key, configOperation: AlterConfigOp.DELETE, value: null })),
    ];
    return { resourceType: ConfigResourceType.TOPIC, resourceName: name, configs };
  }

  private answer(
    type: number,
    name: string,
    change: () => IncrementalAlterConfigsResource | undefined,
  ): AlterConfigsResourceResponse | IncrementalAlterConfigsResource {
    try {
      const forward = change();
      if (forward) return forward;
      return { errorCode: ErrorCode.NONE, errorMessage: null, resourceType: type, resourceName: name };
    } catch (error) {
      if (error instanceof ResourceError || error instanceof TopicOperationError)
        return { errorCode: error.errorCode, errorMessage: error.message, resourceType: type, resourceName: name };
      throw error;
    }
  }

  /** A topic's config for DescribeConfigs: from the metadata image in a cluster, else the local topic's. */
  private topicConfig(name: string): TopicConfig {
    const image = this.replicated?.image();
    if (!image) return this.topic(name).config;
    const problem = topicNameProblem(name);
    if (problem) throw new ResourceError(ErrorCode.INVALID_TOPIC_EXCEPTION, problem);
    const topic = image.topic(name);
    if (!topic) throw new ResourceError(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, '');
    return TopicConfig.create(topic.configs, this.config);
  }

  /** The topic, or Kafka's error: DescribeConfigs answers an unknown topic with an empty message, alters explain. */
  private topic(name: string, unknownMessage = '') {
    const problem = topicNameProblem(name);
    if (problem) throw new ResourceError(ErrorCode.INVALID_TOPIC_EXCEPTION, problem);
    const topic = this.logManager.topic(name);
    if (!topic) throw new ResourceError(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, unknownMessage);
    return topic;
  }

  /** True for this broker's id, false for '' (the cluster default); Kafka's INVALID_REQUEST for anything else. */
  private checkBroker(name: string): boolean {
    if (name === '') return false;
    if (!/^-?\d+$/.test(name))
      throw new ResourceError(ErrorCode.INVALID_REQUEST, `Broker id must be an integer, but it is: ${name}`);
    if (Number(name) !== this.config.brokerId)
      throw new ResourceError(
        ErrorCode.INVALID_REQUEST,
        `Unexpected broker id, expected ${this.config.brokerId} or empty string, but received ${name}`,
      );
    return true;
  }
}

/** One IncrementalAlterConfigs entry applied to `overrides` (Kafka's ConfigAdminManager.prepareIncrementalConfigs). */
function applyOperation(
  overrides: Map<string, string>,
  op: { name: string; configOperation: number; value: string | null },
): void {
  const def = TOPIC_CONFIG_DEF_BY_NAME.get(op.name);
  switch (op.configOperation) {
    case AlterConfigOp.SET:
      if (op.value === null)
        throw new ResourceError(ErrorCode.INVALID_REQUEST, `Null value not supported for : ${op.name}`);
      overrides.set(op.name, op.value);
      return;
    case AlterConfigOp.DELETE:
      overrides.delete(op.name);
      return;
    case AlterConfigOp.APPEND:
    case AlterConfigOp.SUBTRACT: {
      if (def?.type !== 'LIST')
        throw new ResourceError(
          ErrorCode.INVALID_CONFIG,
          `Can't ${op.configOperation === AlterConfigOp.APPEND ? 'APPEND' : 'SUBTRACT'} to key ${op.name} because its type is not LIST.`,
        );
      const current = (overrides.get(op.name) ?? def.kafkaDefault).split(',').filter(Boolean);
      const items = (op.value ?? '').split(',').filter(Boolean);
      const next =
        op.configOperation === AlterConfigOp.APPEND
          ? [...current, ...items.filter((v) => !current.includes(v))]
          : current.filter((v) => !items.includes(v));
      overrides.set(op.name, next.join(','));
      return;
    }
    default:
      throw new ResourceError(ErrorCode.INVALID_REQUEST, `Unknown alter config operation type ${op.configOperation}`);
  }
}

/** Kafka refuses a resource that names one config twice (INVALID_REQUEST), whatever the operations. */
function refuseDuplicateKeys(configs: ReadonlyArray<{ name: string }>): void {
  const names = configs.map((c) => c.name);
  const duplicate = names.find((n, i) => names.indexOf(n) !== i);
  if (duplicate !== undefined)
    throw new ResourceError(ErrorCode.INVALID_REQUEST, `Error due to duplicate config keys (${duplicate})`);
}

function unsupportedType(type: number): string {
  return `kq serves configs of topics (2) and brokers (4) only, not of resource type ${type}`;
}
