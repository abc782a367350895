import { randomBytes } from 'node:crypto';
import type { ControllerApis } from '../metadata/controller-apis.js';
import type { BrokerEndpoint } from '../protocol/broker-registration/request.js';
import { ErrorCode, errorInfo } from '../protocol/error-codes.js';

/** Kafka's BrokerState as the lifecycle manager moves through it. */
export type BrokerLifecycleState =
  | 'starting'
  /** Registered, fenced: replaying the metadata log. */
  | 'recovery'
  /** Unfenced: may lead and be in ISRs. */
  | 'running'
  /** Asked for controlled shutdown; the controller is moving its leaderships away. */
  | 'pending-controlled-shutdown'
  | 'shutting-down';

export interface BrokerLifecycleOptions {
  readonly brokerId: number;
  readonly clusterId: string;
  /** The active controller, whichever node it is on (NOT_CONTROLLER answers are retried). */
  readonly controller: ControllerApis;
  /** How far this broker has replayed the metadata log (its MetadataLoader's offset). */
  readonly metadataOffset: () => bigint;
  readonly listeners: readonly BrokerEndpoint[];
  /** `broker.heartbeat.interval.ms`. */
  readonly heartbeatIntervalMs: number;
  /**
   * KIP-966: the broker epoch this broker's previous incarnation shut down cleanly with (Kafka's clean shutdown
   * file), -1 or absent after a crash. The controller keeps a cleanly stopped broker in the ELR; otherwise it may
   * have lost an unflushed tail and leaves it.
   */
  readonly previousBrokerEpoch?: bigint;
  /** Wait after a failed registration or heartbeat (no controller yet, NOT_CONTROLLER); default 50 ms. */
  readonly retryBackoffMs?: number;
  readonly onStateChange?: (state: BrokerLifecycleState) => void;
}

/**
 * A broker's side of KIP-631 (Kafka's `BrokerLifecycleManager`): registers with the active controller (a new
 * incarnation id per start; the answer is the broker epoch), then heartbeats every `broker.heartbeat.interval.ms`
 * with its metadata offset, so the controller unfences it once it has caught up and fences it if the heartbeats
 * stop. `controlledShutdown()` sets want_shut_down and resolves when the controller says the broker may stop (its
 * leaderships moved away) — what a broker does on SIGTERM before closing its logs.
 *
 * Owned by the node that runs the broker; `close()` stops the heartbeats (a crashed broker's just stop).
 */
export class BrokerLifecycleManager {
  private currentState: BrokerLifecycleState = 'starting';
  private epoch = -1n;
  private readonly incarnationId = randomIncarnationId();
  private timer: NodeJS.Timeout | undefined;
  private closed = false;
  private wantShutDown = false;
  private inFlight = false;
  private readonly unfencedWaiters: Array<() => void> = [];
  private readonly shutdownWaiters: Array<() => void> = [];
  /** Why the last registration or heartbeat failed, for the messages of bounded waits. */
  lastError = '';

  constructor(private readonly options: BrokerLifecycleOptions) {}

  get state(): BrokerLifecycleState {
    return this.currentState;
  }

  /** The broker epoch the controller gave this registration; -1 before it registered. */
  get brokerEpoch(): bigint {
    return this.epoch;
  }

  start(): void {
    this.schedule(0);
  }

  /** Resolves when the controller has unfenced this broker (Kafka's BrokerServer waits for this before serving). */
  waitForUnfenced(): Promise<void> {
    if (this.currentState === 'running') return Promise.resolve();
    return new Promise((resolve) => this.unfencedWaiters.push(resolve));
  }

  /**
   * Asks for controlled shutdown and resolves when the controller lets the broker stop, or after `timeoutMs`
   * (Kafka gives up waiting too and shuts down anyway) — resolves `true` only when it was let go.
   */
  async controlledShutdown(timeoutMs: number): Promise<boolean> {
    if (this.closed || this.epoch === -1n) return false;
    this.wantShutDown = true;
    this.setState('pending-controlled-shutdown');
    let timer: NodeJS.Timeout | undefined;
    const released = new Promise<boolean>((resolve) => this.shutdownWaiters.push(() => resolve(true)));
    const timedOut = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)));
    this.schedule(0);
    const result = await Promise.race([released, timedOut]);
    clearTimeout(timer);
    return result;
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.timer);
    this.setState('shutting-down');
    for (const release of this.shutdownWaiters.splice(0)) release();
  }

  private schedule(delayMs: number): void {
    if (this.closed) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.tick(), delayMs);
    this.timer.unref();
  }

  private async tick(): Promise<void> {
    if (this.closed || this.inFlight) return;
    this.inFlight = true;
    let next: number;
    try {
      next = this.epoch === -1n ? await this.register() : await this.heartbeat();
    } catch (error) {
      this.lastError = error instanceof Error ? error.message : String(error);
      next = this.retryBackoffMs;
    } finally {
      this.inFlight = false;
    }
    this.schedule(next);
  }

  private get retryBackoffMs(): number {
    return this.options.retryBackoffMs ?? 50;
  }

  private async register(): Promise<number> {
    const response = await this.options.controller.registerBroker({
      brokerId: this.options.brokerId,
      clusterId: this.options.clusterId,
      incarnationId: this.incarnationId,
      listeners: [...this.options.listeners],
      features: [],
      rack: null,
      previousBrokerEpoch: this.options.previousBrokerEpoch ?? -1n,
    });
    if (response.errorCode !== ErrorCode.NONE) {
      this.lastError = `registration: ${errorInfo(response.errorCode).name}`;
      return this.retryBackoffMs;
    }
    this.epoch = response.brokerEpoch;
    this.setState('recovery');
    return 0; // heartbeat at once: unfencing waits for the first caught-up heartbeat
  }

  private async heartbeat(): Promise<number> {
    const response = await this.options.controller.processBrokerHeartbeat({
      brokerId: this.options.brokerId,
      brokerEpoch: this.epoch,
      currentMetadataOffset: this.options.metadataOffset(),
      wantFence: false,
      wantShutDown: this.wantShutDown,
    });
    if (this.closed) return this.options.heartbeatIntervalMs;
    if (
      response.errorCode === ErrorCode.STALE_BROKER_EPOCH ||
      response.errorCode === ErrorCode.BROKER_ID_NOT_REGISTERED
    ) {
      // The controller no longer knows this registration: register again (a new epoch).
      this.lastError = `heartbeat: ${errorInfo(response.errorCode).name}`;
      this.epoch = -1n;
      return 0;
    }
    if (response.errorCode !== ErrorCode.NONE) {
      this.lastError = `heartbeat: ${errorInfo(response.errorCode).name}`;
      return this.retryBackoffMs;
    }
    if (response.shouldShutDown) {
      for (const release of this.shutdownWaiters.splice(0)) release();
      return this.options.heartbeatIntervalMs;
    }
    if (!this.wantShutDown) {
      this.setState(response.isFenced ? 'recovery' : 'running');
      if (!response.isFenced) for (const resolve of this.unfencedWaiters.splice(0)) resolve();
    }
    // Fenced and catching up, or in controlled shutdown: ask again soon rather than a whole interval later.
    if (response.isFenced || this.wantShutDown) return Math.min(this.options.heartbeatIntervalMs, this.retryBackoffMs);
    return this.options.heartbeatIntervalMs;
  }

  private setState(state: BrokerLifecycleState): void {
    if (state === this.currentState) return;
    this.currentState = state;
    this.options.onStateChange?.(state);
  }
}

function randomIncarnationId(): string {
  for (;;) {
    const id = randomBytes(16).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}
