import { Box, Text, useApp, useInput, type Key } from 'ink';
import { useEffect, useRef, useState } from 'react';
import {
  ClusterWatch,
  FAULT_KEYS,
  idList,
  perSec,
  replicaCell,
  type PartitionRow,
  type WatchFrame,
  type WatchSource,
} from './cluster-watch.js';
import { splitPresses, type KeyPress } from './key-map.js';
import { useTerminalSize } from './use-terminal-size.js';

const STATE_COLOR: Readonly<Record<string, string>> = {
  running: 'green',
  paused: 'yellow',
  stopped: 'gray',
  killed: 'red',
};

function fit(text: string, width: number): string {
  return text.length <= width ? text.padEnd(width) : `${text.slice(0, Math.max(0, width - 1))}…`;
}

/** The partition name column: topic names are long, but at 80 columns the replicas need the room. */
const nameWidth = (width: number) => (width >= 100 ? 24 : 14);

/** One partition as a table row at `width` columns: name, leader, epoch, ISR, ELR, replicas' LEO/HW, rate. */
function partitionRow(p: PartitionRow, width: number): string {
  const fixed = ` ${String(p.leader).padStart(3)} ${String(p.leaderEpoch).padStart(5)} ${fit(idList(p.isr), 8)} ${fit(idList(p.elr), 5)} `;
  const rate = ` ${perSec(p.produceRate).padStart(6)}`;
  const replicas = p.replicas.map(replicaCell).join(' ');
  const line = `${fit(p.name, nameWidth(width))}${fixed}${replicas}`;
  return `${fit(line, width - rate.length)}${rate}`;
}

/**
 * `kq broker --brokers N --watch` on a terminal: the nodes (state, Produce/Fetch requests per second), every
 * partition (leader, leader epoch, ISR, ELR, each replica's LEO/HW, records per second), the why log's panel, and
 * keys that put a fault on the selected node and heal it. Redraws every sample; fits 80×24 (partitions beyond the
 * screen are counted, ↑↓ scroll them). Owns its ClusterWatch; `q` or Ctrl+C ends the view (the caller stops the
 * cluster).
 */
export function ClusterWatchApp({
  source,
  color,
  intervalMs,
}: {
  source: WatchSource;
  color: boolean;
  intervalMs: number;
}) {
  const { exit } = useApp();
  const { columns, rows } = useTerminalSize();
  const [frame, setFrame] = useState<WatchFrame | undefined>();
  const [selected, setSelected] = useState(1);
  const [message, setMessage] = useState('');
  const [scroll, setScroll] = useState(0);
  const watch = useRef<ClusterWatch | undefined>(undefined);

  useEffect(() => {
    const w = new ClusterWatch(source, setFrame, (m) => setMessage(`cannot read the cluster: ${m}`), intervalMs);
    watch.current = w;
    w.start();
    return () => w.stop();
  }, [source, intervalMs]);

  // the selection as of the last key: keys typed together ('2k') act on the node picked just before
  const picked = useRef(1);
  // the frame as last drawn: ink hands useInput this render's handler only in an effect after the frame is written,
  // so a node key pressed the moment the first frame appears must not be judged against the empty frame before it
  const drawn = useRef(frame);
  drawn.current = frame;
  const handleKey = (input: string, key: KeyPress['key']) => {
    if (input === 'q' || (key.ctrl && input === 'c')) {
      watch.current?.stop();
      exit();
      return;
    }
    if (/^[1-9]$/.test(input)) {
      const id = Number(input);
      if (drawn.current?.nodes.some((n) => n.id === id)) {
        picked.current = id;
        setSelected(id);
      } else setMessage(`no node ${id}`);
      return;
    }
    if (key.downArrow) setScroll((s) => s + 1);
    if (key.upArrow) setScroll((s) => Math.max(0, s - 1));
    const fault = FAULT_KEYS.find((k) => k.key === input);
    if (fault === undefined) return;
    const command = fault.command(picked.current);
    setMessage(`${command}…`);
    source.command(command).then(
      (done) => {
        setMessage(done);
        void watch.current?.sample();
      },
      (error: unknown) => setMessage(`${command}: ${error instanceof Error ? error.message : String(error)}`),
    );
  };
  useInput((input: string, key: Key) => {
    for (const press of splitPresses(input, key)) handleKey(press.input, press.key);
  });

  const width = Math.max(40, columns);
  const paint = (c: string | undefined) => (color && c ? { color: c } : {});
  const nodes = frame?.nodes ?? [];
  const partitions = frame?.partitions ?? [];
  const faults = source.faults();
  const footer = flow(
    [`1-${Math.max(1, nodes.length)} node`, ...FAULT_KEYS.map((k) => `${k.key} ${k.label}`), '↑↓ scroll', 'q quit'],
    width,
  );

  // the why panel: 3 lines at 24 rows, more on a taller terminal, 1 on a short one
  const whyRows = rows >= 30 ? 6 : rows >= 24 ? 3 : 1;
  const why = (source.why?.() ?? []).slice(-whyRows);
  // rows: title, nodes, faults, blank, table head, partitions (and "… more"), blank, why title + lines, message, footer
  const room = Math.max(1, rows - (1 + nodes.length + 1 + 1 + 1 + 1 + 1 + 1 + whyRows + 1 + footer.length));
  const first = Math.min(scroll, Math.max(0, partitions.length - room));
  const shown = partitions.slice(first, first + room);
  const hidden = partitions.length - shown.length;
  return (
    <Box flexDirection="column">
      <Text {...(color ? { bold: true } : {})}>
        {fit(`kq cluster · ${nodes.length} nodes · bootstrap ${source.bootstrap} · node ${selected} selected`, width)}
      </Text>
      {frame === undefined ? <Text>reading the cluster…</Text> : null}
      {nodes.map((n) => (
        <Text key={n.id} {...paint(STATE_COLOR[n.state])} {...(color && n.id === selected ? { inverse: true } : {})}>
          {fit(
            `${n.id === selected ? '›' : ' '} node ${n.id} ${n.state.padEnd(7)} :${n.port} pid ${n.pid} · produce ${perSec(n.produceRequestsPerSec)}/s fetch ${perSec(n.fetchRequestsPerSec)}/s`,
            width,
          )}
        </Text>
      ))}
      <Text {...paint(faults.length > 0 ? 'red' : undefined)}>
        {fit(`faults: ${faults.length === 0 ? 'none' : faults.join('; ')}`, width)}
      </Text>
      <Text> </Text>
      <Text {...(color ? { bold: true } : {})}>{tableHead(width)}</Text>
      {shown.map((p) => (
        <Text
          key={p.name}
          {...paint(p.leader === -1 ? 'red' : p.isr.length < p.replicas.length ? 'yellow' : undefined)}
        >
          {partitionRow(p, width)}
        </Text>
      ))}
      {partitions.length === 0 && frame !== undefined ? <Text>no partitions yet: create a topic</Text> : null}
      {hidden > 0 ? <Text>{`… ${hidden} more (↑↓)`}</Text> : null}
      <Text> </Text>
      <Text {...(color ? { bold: true } : {})}>why (latest decisions, newest last)</Text>
      {why.length === 0 ? (
        <Text {...(color ? { dimColor: true } : {})}>
          {fit(source.why ? 'nothing decided yet' : 'this cluster keeps no why log', width)}
        </Text>
      ) : (
        why.map((line, i) => (
          <Text
            key={`${i}:${line}`}
            {...paint(/election|fenced|unclean|truncation|rejected/.test(line) ? 'yellow' : undefined)}
          >
            {fit(line, width)}
          </Text>
        ))
      )}
      <Text {...paint('cyan')}>{fit(message, width)}</Text>
      {footer.map((line) => (
        <Text key={line} {...(color ? { dimColor: true } : {})}>
          {fit(line, width)}
        </Text>
      ))}
    </Box>
  );
}

/** `items` joined with ' · ' into as few rows of at most `width` columns as they fit in. */
function flow(items: readonly string[], width: number): string[] {
  const rows: string[] = [];
  for (const item of items) {
    const last = rows.at(-1);
    if (last !== undefined && last.length + 3 + item.length <= width) rows[rows.length - 1] = `${last} · ${item}`;
    else rows.push(item);
  }
  return rows;
}

/** The table's column heads, aligned with partitionRow. */
function tableHead(width: number): string {
  const fixed = ` ${'ldr'.padStart(3)} ${'epoch'.padStart(5)} ${fit('ISR', 8)} ${fit('ELR', 5)} `;
  const rate = ` ${'rec/s'.padStart(6)}`;
  const head = `${fit('partition', nameWidth(width))}${fixed}LEO/HW per replica`;
  return `${fit(head, width - rate.length)}${rate}`;
}
