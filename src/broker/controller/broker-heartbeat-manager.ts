/**
 * When the active controller last heard from each broker (Kafka's `BrokerHeartbeatManager`). In memory on the
 * active controller only: a controller that becomes active gives every registered broker a fresh session
 * (`touchAll`), as Kafka does, rather than fencing brokers that were heartbeating to its predecessor.
 */
export class BrokerHeartbeatManager {
  private readonly lastContact = new Map<number, number>();

  touch(brokerId: number, now: number): void {
    this.lastContact.set(brokerId, now);
  }

  touchAll(brokerIds: Iterable<number>, now: number): void {
    this.lastContact.clear();
    for (const id of brokerIds) this.lastContact.set(id, now);
  }

  /** Whether the broker has been heard from within `sessionTimeoutMs` (Kafka's `hasValidSession`). */
  hasValidSession(brokerId: number, now: number, sessionTimeoutMs: number): boolean {
    const last = this.lastContact.get(brokerId);
    return last !== undefined && now - last <= sessionTimeoutMs;
  }

  lastContactMs(brokerId: number): number | undefined {
    return this.lastContact.get(brokerId);
  }
}
