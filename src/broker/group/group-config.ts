/**
 * The coordinator's settings, by Kafka's names (`GroupCoordinatorConfig`, `OffsetConfig`), with Kafka's defaults.
 * Demos shrink them (a 6 s minimum session timeout and a 3 s initial rebalance delay make a live demo slow), so
 * every one is a setting rather than a constant. Plain immutable data: any part of the broker may read it.
 */
export interface GroupConfig {
  /** `group.min.session.timeout.ms`: a JoinGroup asking for less gets INVALID_SESSION_TIMEOUT (26). */
  readonly groupMinSessionTimeoutMs: number;
  /** `group.max.session.timeout.ms`: a JoinGroup asking for more gets INVALID_SESSION_TIMEOUT (26). */
  readonly groupMaxSessionTimeoutMs: number;
  /**
   * `group.initial.rebalance.delay.ms`: how long the first rebalance of an empty group waits for more members
   * (extended by the same delay each time one joins, up to the rebalance timeout), so a fleet starting together
   * gets one rebalance instead of one per member.
   */
  readonly groupInitialRebalanceDelayMs: number;
  /** `offsets.topic.num.partitions`: partitions of `__consumer_offsets`; a group lives in `abs(hash) % n`. */
  readonly offsetsTopicNumPartitions: number;
  /** `offsets.retention.minutes`: committed offsets of a group with no members expire this long after it emptied. */
  readonly offsetsRetentionMinutes: number;
  /** `offsets.retention.check.interval.ms`: how often expired offsets are looked for. */
  readonly offsetsRetentionCheckIntervalMs: number;
  /** `offset.metadata.max.bytes`: longer commit metadata strings get OFFSET_METADATA_TOO_LARGE (12). */
  readonly offsetMetadataMaxBytes: number;
}

export const DEFAULT_GROUP_CONFIG: GroupConfig = Object.freeze({
  groupMinSessionTimeoutMs: 6_000,
  groupMaxSessionTimeoutMs: 1_800_000,
  groupInitialRebalanceDelayMs: 3_000,
  offsetsTopicNumPartitions: 50,
  offsetsRetentionMinutes: 10_080,
  offsetsRetentionCheckIntervalMs: 600_000,
  offsetMetadataMaxBytes: 4_096,
});

/** The internal topic holding committed offsets and group metadata (Kafka's `Topic.GROUP_METADATA_TOPIC_NAME`). */
export const GROUP_METADATA_TOPIC_NAME = '__consumer_offsets';
