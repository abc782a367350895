import { createInterface } from 'node:readline';
import {
  ClusterWatch,
  nodeLine,
  partitionLine,
  ratesLine,
  type WatchFrame,
  type WatchSource,
} from '../tui/cluster-watch.js';

/**
 * `kq broker --brokers N --watch` without a terminal: plain lines, one per change — `node <id> <state> …` when a
 * node's state changes, `partition <topic-p> leader … epoch … isr … elr … leo/hw …` when a partition's does,
 * `rates …` every `ratesEveryMs` while requests flow, `faults …` when the faults in force change — and commands on
 * stdin, one a line: the fault commands of `kq broker --faults` (`kill 2`, `cut 1 clients`, `heal 2`, `heal`,
 * `faults`…; answered `ok <what was done>` or `error <why nothing was>`) and `quit`. Resolves on `quit`, on end of input is not a quit (a
 * script may close stdin and keep watching): only `quit` or a signal (handled by the caller through `stop`) ends it.
 */
export function runPlainClusterWatch(
  source: WatchSource,
  io: { input: NodeJS.ReadableStream; write: (line: string) => void; intervalMs: number; ratesEveryMs?: number },
): { done: Promise<void>; stop: () => void } {
  const ratesEveryMs = io.ratesEveryMs ?? 5000;
  const seen = new Map<string, string>();
  let lastRates = 0;
  let stop!: () => void;
  const done = new Promise<void>((resolve) => {
    stop = () => {
      watch.stop();
      lines.close();
      resolve();
    };
  });
  const onFrame = (frame: WatchFrame) => {
    for (const n of frame.nodes) {
      const line = nodeLine(n);
      if (seen.get(`node ${n.id}`) !== line) io.write(line);
      seen.set(`node ${n.id}`, line);
    }
    for (const p of frame.partitions) {
      const line = partitionLine(p);
      if (seen.get(p.name) !== line) io.write(line);
      seen.set(p.name, line);
    }
    const faults = source.faults();
    const faultsLine = `faults ${faults.length === 0 ? 'none' : faults.join('; ')}`;
    if (seen.get('faults') !== faultsLine && (seen.has('faults') || faults.length > 0)) io.write(faultsLine);
    seen.set('faults', faultsLine);
    const busy = frame.nodes.some((n) => (n.produceRequestsPerSec ?? 0) > 0 || (n.fetchRequestsPerSec ?? 0) > 0);
    if (busy && frame.at - lastRates >= ratesEveryMs) {
      io.write(ratesLine(frame));
      lastRates = frame.at;
    }
  };
  const watch = new ClusterWatch(
    source,
    onFrame,
    (m) => io.write(`error cannot read the cluster: ${m}`),
    io.intervalMs,
  );
  io.write(
    `watching ${source.bootstrap} every ${io.intervalMs} ms; commands: kill N, stop N, pause N, power-loss N, cut A B, delay A B MS, drop A B F, slow-follower N MS, slow-disk N MS, heal N, heal <fault>, heal, faults, quit`,
  );
  watch.start();

  const lines = createInterface({ input: io.input, terminal: false });
  lines.on('line', (text) => {
    const words = text.trim().split(/\s+/);
    if (words[0] === '') return;
    if (words[0] === 'quit' || words[0] === 'q') {
      stop();
      return;
    }
    source.command(text).then(
      (message) => {
        io.write(`ok ${message}`);
        void watch.sample();
      },
      (error: unknown) => io.write(`error ${error instanceof Error ? error.message : String(error)}`),
    );
  });
  return { done, stop };
}
