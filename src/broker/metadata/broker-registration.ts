/**
 * One broker as the controller registered it (Kafka's `BrokerRegistration`, from RegisterBrokerRecord,
 * FenceBrokerRecord, UnfenceBrokerRecord and BrokerRegistrationChangeRecord): its id, the epoch of this
 * registration (a restarted broker registers again and gets a new one — Kafka's broker epoch, which fences
 * requests from its previous life), where clients and other brokers reach it, and whether it is fenced.
 *
 * A fenced broker leads nothing and is not in any ISR; it is unfenced once it has caught up with the metadata
 * log and heartbeats. Written only by the controller; read from the MetadataImage.
 */
export interface BrokerRegistration {
  readonly id: number;
  /** The metadata-log offset of its RegisterBrokerRecord, as in Kafka; changes when the broker re-registers. */
  readonly epoch: bigint;
  readonly host: string;
  readonly port: number;
  readonly rack: string | null;
  /** Not heartbeating (session timed out), or registered but not yet caught up. */
  readonly fenced: boolean;
  /** Asked for controlled shutdown: leaderships are being moved away, it will not be elected. */
  readonly inControlledShutdown: boolean;
}

/** A broker that may lead and be in an ISR (Kafka's `BrokerRegistration.fenced()` false, not shutting down). */
export function isActive(broker: BrokerRegistration): boolean {
  return !broker.fenced && !broker.inControlledShutdown;
}
