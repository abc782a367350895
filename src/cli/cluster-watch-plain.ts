import { createInterface } from 'node:readline';
import {
  ClusterWatch,
  nodeLine,
  partitionLine,
  ratesLine,
  WATCH_ACTIONS,
  type WatchAction,
  type WatchFrame,
  type WatchSource,
} from '../tui/cluster-watch.js';

/**
 * `kq broker --brokers N --watch` without a terminal: plain lines, one per change — `node <id> <state> …` when a
 * node's state changes, `partition <topic-p> leader … epoch … isr … elr … leo/hw …` when a partition's does,
 * `rates …` every `ratesEveryMs` while requests flow — and commands on stdin, one a line: `kill|stop|pause|heal <id>`
 * (answered `ok <message>` or `error <message>`) and `quit`. Resolves on `quit`, on end of input is not a quit (a
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
    `watching ${source.bootstrap} every ${io.intervalMs} ms; commands: ${WATCH_ACTIONS.map((a) => `${a} <node>`).join(' | ')} | quit`,
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
    const action = words[0] as WatchAction;
    const node = Number(words[1]);
    if (!WATCH_ACTIONS.includes(action) || words.length !== 2 || !Number.isInteger(node)) {
      io.write(
        `error expected one of: ${WATCH_ACTIONS.map((a) => `${a} <node>`).join(', ')}, quit; got '${text.trim()}'`,
      );
      return;
    }
    source.act(action, node).then(
      (message) => {
        io.write(`ok ${message}`);
        void watch.sample();
      },
      (error: unknown) => io.write(`error ${error instanceof Error ? error.message : String(error)}`),
    );
  });
  return { done, stop };
}
