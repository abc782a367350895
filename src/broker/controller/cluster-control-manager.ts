import type { BrokerEndpoint } from '../protocol/broker-registration/request.js';
import type { MetadataRecord } from '../metadata/metadata-records.js';

/** One broker as the controller's replay of the metadata log knows it. */
export interface ControllerBrokerRegistration {
  readonly id: number;
  readonly epoch: bigint;
  readonly incarnationId: string;
  readonly endPoints: readonly BrokerEndpoint[];
  readonly rack: string | null;
  readonly fenced: boolean;
  readonly inControlledShutdown: boolean;
  /** Offset of its RegisterBrokerRecord: a broker whose metadata offset reached it has caught up enough. */
  readonly registerOffset: number;
  /** Offset of the record that put it in controlled shutdown (it may stop once it has replayed past it). */
  readonly controlledShutdownOffset: number;
}

/**
 * The brokers of the cluster as the controller knows them (Kafka's `ClusterControlManager`): registrations with
 * their broker epochs, fenced or not, in controlled shutdown or not. Built only by replaying committed records
 * (`replay`), on every controller alike; the active controller reads it to decide, and changes it only by
 * writing records. The liveness of sessions is BrokerHeartbeatManager's, not this class's.
 */
export class ClusterControlManager {
  private readonly brokers = new Map<number, ControllerBrokerRegistration>();

  replay(record: MetadataRecord, offset: number): void {
    switch (record.type) {
      case 'RegisterBrokerRecord':
        this.brokers.set(record.brokerId, {
          id: record.brokerId,
          epoch: record.brokerEpoch,
          incarnationId: record.incarnationId,
          endPoints: record.endPoints,
          rack: record.rack,
          fenced: record.fenced,
          inControlledShutdown: record.inControlledShutdown,
          registerOffset: offset,
          controlledShutdownOffset: -1,
        });
        return;
      case 'FenceBrokerRecord':
        this.update(record.id, record.epoch, { fenced: true });
        return;
      case 'UnfenceBrokerRecord':
        this.update(record.id, record.epoch, { fenced: false });
        return;
      case 'BrokerRegistrationChangeRecord': {
        const broker = this.brokers.get(record.brokerId);
        if (!broker) return;
        this.update(record.brokerId, record.brokerEpoch, {
          fenced: record.fenced === 1 ? true : record.fenced === -1 ? false : broker.fenced,
          ...(record.inControlledShutdown === 1
            ? { inControlledShutdown: true, controlledShutdownOffset: offset }
            : {}),
        });
        return;
      }
      default:
        return;
    }
  }

  registration(brokerId: number): ControllerBrokerRegistration | undefined {
    return this.brokers.get(brokerId);
  }

  registrations(): ControllerBrokerRegistration[] {
    return [...this.brokers.values()].sort((a, b) => a.id - b.id);
  }

  /** Unfenced and not shutting down: may lead, may be in an ISR, gets new replicas (Kafka's `isActive`). */
  isActive(brokerId: number): boolean {
    const broker = this.brokers.get(brokerId);
    return broker !== undefined && !broker.fenced && !broker.inControlledShutdown;
  }

  activeBrokerIds(): number[] {
    return this.registrations()
      .filter((b) => this.isActive(b.id))
      .map((b) => b.id);
  }

  /** Kafka's `checkBrokerEpoch`: the request comes from the broker's current registration. */
  hasEpoch(brokerId: number, epoch: bigint): boolean {
    return this.brokers.get(brokerId)?.epoch === epoch;
  }

  private update(brokerId: number, epoch: bigint, change: Partial<ControllerBrokerRegistration>): void {
    const broker = this.brokers.get(brokerId);
    // A record for an older registration of the broker (it re-registered since) changes nothing.
    if (!broker || broker.epoch !== epoch) return;
    this.brokers.set(brokerId, { ...broker, ...change });
  }
}
