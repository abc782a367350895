/**
 * The brokers under test when a demo needs several of them (replication, acks under a leader crash, elections,
 * the KRaft quorum). Two implementations: kq's own `KafkaCluster` (kq-demo-cluster.ts) and an Apache Kafka cluster
 * kq started (apache-kafka-demo-cluster.ts). A demo injects faults only through this interface and observes only
 * what a client or an operator could (Metadata, Produce, Fetch, the files in a broker's data dir: see
 * cluster-view.ts), so the same demo with the same checks runs on both, and a verdict never rests on one broker's
 * internals.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** What state a broker is in, as the operator who sent it signals knows it. */
export type ClusterBrokerState = 'running' | 'paused' | 'stopped' | 'killed';

/** One broker of the cluster: where clients reach it, its process and its data directory (log.dirs). */
export interface ClusterBroker {
  readonly id: number;
  readonly host: string;
  readonly port: number;
  /** The broker's process (a JVM, or a `kq broker` child) while it runs. */
  readonly pid: number | undefined;
  readonly dataDir: string;
  readonly state: ClusterBrokerState;
}

/** The metadata log's Raft quorum: who leads it (the active controller; -1 during an election), in which epoch. */
export interface ControllerQuorum {
  leaderId: number;
  leaderEpoch: number;
  voters: number[];
}

export interface DemoCluster {
  /** Whose brokers these are. */
  readonly target: 'kq' | 'apache-kafka';
  /** host:port of every broker, for a client's bootstrap.servers. */
  readonly bootstrap: string;
  readonly brokerIds: readonly number[];
  /**
   * The broker settings every node runs with, by Kafka's names (e.g. `replica.lag.time.max.ms`): a demo computes
   * its expectations from these, never from a constant of its own.
   */
  readonly brokerConfig: Readonly<Record<string, string>>;
  broker(id: number): ClusterBroker;
  /**
   * The KRaft controller quorum as an operator reads it from the running nodes (their quorum state: the metadata
   * log's Raft leader, its epoch, the voters); undefined when no node says. Fault demos freeze or kill other nodes
   * than the active controller, so that a fault meant for one partition's replica does not also cost a controller
   * election (combined nodes are both).
   */
  controllerQuorum(): ControllerQuorum | undefined;
  /** Clean shutdown (SIGTERM: Kafka's controlled shutdown moves leadership away first). */
  stop(id: number): Promise<void>;
  /** SIGKILL: the process dies at once; what it had not written to its files is gone, the page cache is not. */
  kill(id: number): Promise<void>;
  /**
   * Power loss (kq's cluster started for a `powerLoss` demo only): every file the broker wrote goes back to what its
   * last fsync made durable — the page cache is gone — and the process dies. Apache Kafka has none: its JVM writes
   * through this machine's kernel, whose page cache kq cannot cut.
   */
  powerLoss?(id: number): Promise<void>;
  /** The files of broker `id` that hold bytes a power loss would take now (with powerLoss). */
  unsyncedFiles?(id: number): Promise<readonly string[]>;
  /** SIGSTOP: the broker freezes (no fetches, no heartbeats) with its connections open. */
  pause(id: number): void;
  /** SIGCONT after pause(). */
  resume(id: number): void;
  /** Starts a stopped or killed broker again (same port, same data) and resolves once it answers Metadata. */
  restart(id: number): Promise<void>;
  /** Stops every broker (and removes the data the cluster owns); called by whoever started the cluster. */
  close(): Promise<void>;
}

/**
 * The broker settings a fault demo needs, on every node of either cluster: Kafka's defaults are sized for
 * production (a follower leaves the ISR after 30 s, a dead broker is fenced after 9 s), which would make each demo
 * wait half a minute per fault. These keep each fault to a few seconds while staying well above a loaded
 * machine's pauses, and stop the leader rebalancer from moving leaders behind a demo's back.
 */
export const FAULT_DEMO_BROKER_CONFIG: Readonly<Record<string, string>> = {
  'replica.lag.time.max.ms': '3000',
  // Kafka's default, said here because demos compute with it: a follower's last long poll before a fault
  'replica.fetch.wait.max.ms': '500',
  'broker.heartbeat.interval.ms': '500',
  // well above the ISR lag, so a frozen follower leaves the ISR by the lag rule before it is fenced
  'broker.session.timeout.ms': '8000',
  'auto.leader.rebalance.enable': 'false',
  // how often the controller looks for leaderless partitions whose topic now allows an unclean election (5 min)
  'unclean.leader.election.interval.ms': '1000',
};

/** A broker setting the cluster runs with, as a number (fails naming it when it is missing or not a number). */
export function numericBrokerConfig(cluster: DemoCluster, name: string): number {
  const value = Number(cluster.brokerConfig[name]);
  if (cluster.brokerConfig[name] === undefined || !Number.isFinite(value))
    throw new Error(`the cluster under test does not say its ${name} (got ${cluster.brokerConfig[name] ?? 'nothing'})`);
  return value;
}

/**
 * The cluster's brokers in the roles a fault demo gives them: `spare` is the active controller when known (faults
 * go to the others), the rest in id order. Three brokers: [first, second, spare].
 */
export function rolesAvoidingController(cluster: DemoCluster): [number, number, number] {
  const ids = [...cluster.brokerIds];
  if (ids.length < 3) throw new Error(`a fault demo needs 3 brokers, the cluster has ${ids.length}`);
  const controller = cluster.controllerQuorum()?.leaderId;
  const others = ids.filter((id) => id !== controller);
  const spare = controller !== undefined && ids.includes(controller) ? controller : others.pop()!;
  return [others[0]!, others[1]!, spare];
}

/**
 * The controller quorum the operator's way, from the `__cluster_metadata-0/quorum-state` file in each running
 * node's data dir (what `kafka-metadata-quorum describe` reports; kq writes it in Kafka's form): the newest epoch
 * any node has moved to, and the leader it knows in it (-1 while it votes). undefined before any node wrote one.
 */
export function quorumFromStateFiles(dataDirs: readonly string[]): ControllerQuorum | undefined {
  let best: ControllerQuorum | undefined;
  for (const dataDir of dataDirs) {
    try {
      const state = JSON.parse(readFileSync(join(dataDir, '__cluster_metadata-0', 'quorum-state'), 'utf8')) as {
        leaderId?: number;
        leaderEpoch?: number;
        currentVoters?: Array<{ voterId: number }>;
      };
      const epoch = state.leaderEpoch ?? -1;
      if (!best || epoch > best.leaderEpoch || (epoch === best.leaderEpoch && best.leaderId < 0))
        best = {
          leaderId: state.leaderId ?? -1,
          leaderEpoch: epoch,
          voters: (state.currentVoters ?? []).map((v) => v.voterId).sort((x, y) => x - y),
        };
    } catch {
      // a node that has not written its quorum state yet says nothing
    }
  }
  return best;
}
