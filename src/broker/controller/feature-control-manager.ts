import type { FeatureLevelRecord, MetadataRecord } from '../metadata/metadata-records.js';

/** KIP-966's feature: level 1 turns Eligible Leader Replicas on. */
export const ELIGIBLE_LEADER_REPLICAS_VERSION = 'eligible.leader.replicas.version';

/**
 * The level Kafka 4.4 bootstraps a new cluster with (`kafka-storage format` without `--feature`: its
 * `eligible.leader.replicas.version=1` comes with the default release version). kq's `kq.eligible.leader.replicas.version`
 * config picks another (0: off), as `kafka-storage format --feature eligible.leader.replicas.version=0` would.
 */
export const DEFAULT_ELIGIBLE_LEADER_REPLICAS_VERSION = 1;

/**
 * The finalized feature levels of the cluster (Kafka's `FeatureControlManager`), built only by replaying
 * FeatureLevelRecords, on every controller alike. kq finalizes one feature, `eligible.leader.replicas.version`: the
 * first active controller of a new metadata log writes it (`bootstrapRecords`, Kafka's bootstrap metadata), so a
 * restart with another config does not change a running cluster. Read by the QuorumController and
 * ReplicationControlManager; written by nobody else.
 */
export class FeatureControlManager {
  private readonly levels = new Map<string, number>();

  replay(record: MetadataRecord): void {
    if (record.type !== 'FeatureLevelRecord') return;
    if (record.featureLevel === 0) this.levels.delete(record.name);
    else this.levels.set(record.name, record.featureLevel);
    this.finalized.add(record.name);
  }

  /** Names the log has finalized (at any level, 0 included). */
  private readonly finalized = new Set<string>();

  /** The finalized level of a feature; 0 when it is off or was never finalized. */
  level(name: string): number {
    return this.levels.get(name) ?? 0;
  }

  /** Kafka's `isElrFeatureEnabled`: `eligible.leader.replicas.version` ≥ 1. */
  isElrFeatureEnabled(): boolean {
    return this.level(ELIGIBLE_LEADER_REPLICAS_VERSION) >= 1;
  }

  /**
   * The records a new active controller writes when the log has not finalized the ELR feature yet (a new cluster,
   * or one kq created before it knew the feature): the level it was configured to bootstrap with.
   */
  bootstrapRecords(eligibleLeaderReplicasVersion: number): FeatureLevelRecord[] {
    if (this.finalized.has(ELIGIBLE_LEADER_REPLICAS_VERSION)) return [];
    return [
      {
        type: 'FeatureLevelRecord',
        name: ELIGIBLE_LEADER_REPLICAS_VERSION,
        featureLevel: eligibleLeaderReplicasVersion,
      },
    ];
  }
}
