import type { RawKafkaClient } from '../../src/broker/client/raw-kafka-client.js';
import { ApiKey, type ApiName } from '../../src/broker/protocol/api-keys.js';
import type { ApiRequest, ApiResponse } from '../../src/broker/protocol/api-registry.js';
import { Normaliser } from './normalise.js';
import type { OracleTarget } from './oracle-targets.js';

/** One request of a scripted session and what came back, normalised. */
export interface SessionStep {
  label: string;
  api: ApiName;
  version: number;
  outcome: unknown;
}

const NAME_OF = new Map<number, ApiName>(Object.entries(ApiKey).map(([name, key]) => [key, name as ApiName]));

/**
 * A scripted client session against one target over kq's raw client: each call sends a request built with kq's
 * codec, decodes the answer with kq's codec, and records it normalised. A connection the broker closes is
 * recorded as such (Kafka closes on versions it no longer serves) and the next call reconnects.
 */
export class OracleSession {
  readonly steps: SessionStep[];
  private client: RawKafkaClient | undefined;
  private readonly normaliser: Normaliser;

  constructor(
    readonly target: OracleTarget,
    shared: { steps: SessionStep[]; normaliser: Normaliser } = {
      steps: [],
      normaliser: new Normaliser(),
    },
  ) {
    this.steps = shared.steps;
    this.normaliser = shared.normaliser;
  }

  /** A second connection (another group member) recording into the same session, in call order. */
  fork(): OracleSession {
    return new OracleSession(this.target, { steps: this.steps, normaliser: this.normaliser });
  }

  /**
   * Sends a request and records its answer. The step's place is taken when the call starts, so concurrent calls
   * (a JoinGroup parked until another member rejoins) are recorded in the order the script made them.
   * `view` picks what to compare (e.g. only this session's group out of ListGroups).
   */
  async call<K extends ApiKey>(
    label: string,
    apiKey: K,
    version: number,
    request: ApiRequest<K>,
    view: (response: ApiResponse<K>) => unknown = (r) => r,
  ): Promise<ApiResponse<K> | undefined> {
    const slot = this.reserve(label, apiKey, version);
    const client = await this.connection();
    try {
      const response = await client.request(apiKey, version, request, 15_000);
      slot.outcome = { response: this.normaliser.normalise(view(response)) };
      return response;
    } catch (error) {
      if (!client.isClosed) throw error;
      slot.outcome = { closed: 'the broker closed the connection' };
      this.client = undefined;
      return undefined;
    }
  }

  /** A request whose answer is not compared (setup, polling until a state is reached). */
  async untracked<K extends ApiKey>(apiKey: K, version: number, request: ApiRequest<K>): Promise<ApiResponse<K>> {
    const client = await this.connection();
    return client.request(apiKey, version, request, 15_000);
  }

  /**
   * A request that must get no response (Produce with acks=0): sends it, then an ApiVersions probe, and records
   * whether the next frame answers the request or the probe.
   */
  async callExpectingNoResponse<K extends ApiKey>(
    label: string,
    apiKey: K,
    version: number,
    request: ApiRequest<K>,
  ): Promise<void> {
    const slot = this.reserve(label, apiKey, version);
    const client = await this.connection();
    const id = client.send(apiKey, version, request);
    client.send(ApiKey.ApiVersions, 0, {});
    try {
      const frame = await client.nextFrame(15_000, `a response to ${NAME_OF.get(apiKey)} or the probe`);
      const answered = frame.readInt32BE(0) === id;
      if (answered) await client.nextFrame(15_000, 'the probe response');
      slot.outcome = { answered: answered ? 'a response' : 'no response' };
    } catch (error) {
      if (!client.isClosed) throw error;
      slot.outcome = { closed: 'the broker closed the connection' };
      this.client = undefined;
    }
  }

  close(): void {
    this.client?.close();
    this.client = undefined;
  }

  private async connection(): Promise<RawKafkaClient> {
    this.client ??= await this.target.connect();
    return this.client;
  }

  private reserve(label: string, apiKey: number, version: number): SessionStep {
    const step: SessionStep = { label, api: NAME_OF.get(apiKey)!, version, outcome: { pending: 'no answer recorded' } };
    this.steps.push(step);
    return step;
  }
}
