import { RawKafkaClient } from '../../client/raw-kafka-client.js';
import { UnsyncedWrites } from './unsynced-writes.js';

/** What ClusterFaults asks a node's FaultAgent over the IPC channel. */
export type FaultAgentRequest =
  | { readonly kind: 'fault'; readonly id: number; readonly op: 'slow-disk'; readonly ms: number }
  | { readonly kind: 'fault'; readonly id: number; readonly op: 'power-loss' }
  | { readonly kind: 'fault'; readonly id: number; readonly op: 'unsynced-files' };

/** The agent's answer (power-loss has none: the process is gone). */
export interface FaultAgentReply {
  readonly kind: 'fault-reply';
  readonly id: number;
  readonly files?: readonly string[];
}

/**
 * The node-side half of fault injection, in a `kq broker` child started by a fault-injecting KafkaCluster
 * (`--fault-agent`): it binds the node's outgoing connections to its source address (so the transport proxies
 * know who is talking), watches file writes for the power-loss model (UnsyncedWrites), and obeys the cluster's
 * requests: slow disk on/off, and power loss — every file back to what its last fsync made durable, then SIGKILL
 * to itself, in one synchronous step so nothing is written in between. Installed before the broker opens any file.
 */
export class FaultAgent {
  readonly writes = new UnsyncedWrites();

  static install(options: { sourceAddress?: string; log?: (line: string) => void }): FaultAgent {
    const agent = new FaultAgent();
    if (options.sourceAddress) RawKafkaClient.sourceAddress = options.sourceAddress;
    agent.writes.install();
    const log = options.log ?? (() => undefined);
    process.on('message', (message: unknown) => {
      const request = message as FaultAgentRequest;
      if (request.kind !== 'fault') return;
      switch (request.op) {
        case 'slow-disk':
          agent.writes.slowAppendMs = request.ms;
          log(request.ms > 0 ? `fault: slow disk, +${request.ms} ms per append` : 'fault healed: disk speed normal');
          break;
        case 'power-loss': {
          const lost = agent.writes.cutPower();
          log(`fault: power loss, ${lost.length} file(s) back to their last fsync`);
          for (const line of lost) log(`  ${line}`);
          process.kill(process.pid, 'SIGKILL');
          return;
        }
        case 'unsynced-files':
          process.send?.({
            kind: 'fault-reply',
            id: request.id,
            files: agent.writes.unsyncedFiles(),
          } satisfies FaultAgentReply);
          return;
      }
      process.send?.({ kind: 'fault-reply', id: request.id } satisfies FaultAgentReply);
    });
    return agent;
  }
}
