import type { MetadataDelta } from '../metadata/metadata-delta.js';
import type { MetadataImage } from '../metadata/metadata-image.js';
import type { MetadataPublisher } from '../metadata/metadata-publisher.js';
import type { LogManager } from './log-manager.js';

/**
 * Applies topic config changes from the metadata log to this broker's replicas (Kafka's `DynamicConfigPublisher`):
 * when a topic's overrides in the image differ from the previous image's (an AlterConfigs the controller wrote as
 * ConfigRecords), every replica of it here runs with the new config (retention, segment size, flush, …). New topics
 * need nothing here: their replicas are created with the image's configs. Owned by KafkaBroker in replicated mode.
 */
export class DynamicConfigPublisher implements MetadataPublisher {
  readonly name = 'DynamicConfigPublisher';

  constructor(private readonly logManager: LogManager) {}

  onMetadataUpdate(delta: MetadataDelta, image: MetadataImage): void {
    for (const name of delta.topicConfigChanges) {
      const configs = image.topic(name)?.configs;
      if (configs) this.logManager.updateReplicaTopicConfig(name, configs);
    }
  }
}
