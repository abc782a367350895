import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { explainControllerEvent } from '../../../src/broker/controller/controller-why.js';
import { ErrorCode } from '../../../src/broker/protocol/error-codes.js';
import { explainReplicaEvent } from '../../../src/broker/server/replica-why.js';
import { waitUntil } from '../../../src/broker/utils/wait-until.js';
import { formatWhy, WHY_LOG_CAPACITY, WhyLog } from '../../../src/broker/why/why-log.js';
import { startBrokerProcess } from '../support/broker-process.js';

const ctx = { node: 1, replicaLagTimeMaxMs: 3000, truncation: 'leader-epoch' as const };

describe('why-log explanations', () => {
  it('names min.insync.replicas when an acks=all produce is refused below it, in both languages', () => {
    const e = explainReplicaEvent(
      {
        kind: 'produce-rejected',
        partition: 'p-0',
        errorCode: ErrorCode.NOT_ENOUGH_REPLICAS,
        acks: -1,
        isr: [1],
        minInsyncReplicas: 2,
      },
      ctx,
      0,
    );
    expect(e).toMatchObject({
      kind: 'produce-rejected',
      rule: 'min.insync.replicas',
      data: { error: 'NOT_ENOUGH_REPLICAS' },
    });
    expect(e.text.en).toContain('min.insync.replicas=2');
    expect(e.text.zh).toContain('min.insync.replicas=2');
    expect(formatWhy(e, 'zh')).toMatch(/^why: node 1 p-0 produce-rejected: acks=all 的写入被拒绝/);
  });

  it('counts as lost only the truncated records that were below the replica’s high watermark', () => {
    const truncate = (highWatermark: bigint) =>
      explainReplicaEvent({ kind: 'truncated', partition: 'p-0', from: 20n, to: 10n, highWatermark }, ctx, 0).data;
    expect(truncate(15n)).toMatchObject({ removed: 10, acknowledgedLost: 5 });
    expect(truncate(25n)).toMatchObject({ removed: 10, acknowledgedLost: 10 });
    expect(truncate(10n)).toMatchObject({ removed: 10, acknowledgedLost: 0 });
  });

  it('says which rule elected a leader, and leaves out controller events that change no data', () => {
    const election = explainControllerEvent(
      {
        kind: 'partition-change',
        topicId: 'T',
        partition: 0,
        isr: null,
        leader: 3,
        election: { node: 3, unclean: false, rule: 'first-isr-in-assignment-order', kind: 'ONLINE' },
        before: { leader: 1, isr: [1, 3], leaderEpoch: 4 },
        cause: 'broker-fenced',
      },
      2,
      (id) => (id === 'T' ? 'orders' : undefined),
      0,
    );
    expect(election).toMatchObject({ kind: 'election', node: 2, partition: 'orders-0', data: { leaderEpoch: 5 } });
    expect(election!.text.en).toBe(
      'elected 3: the first replica in assignment order that is in the ISR [1,3] and live, leader epoch 5 after a broker was fenced',
    );
    expect(explainControllerEvent({ kind: 'activated', epoch: 3 }, 2, () => undefined)).toBeUndefined();
  });

  it('keeps the newest events up to its capacity and tells listeners of each', () => {
    const log = new WhyLog();
    const seen: number[] = [];
    const stop = log.onEvent((e) => seen.push(e.at));
    for (let at = 0; at < WHY_LOG_CAPACITY + 5; at++)
      log.record({ at, node: 1, kind: 'high-watermark', rule: 'r', text: { zh: 'z', en: 'e' }, data: {} });
    stop();
    log.record({ at: -1, node: 1, kind: 'high-watermark', rule: 'r', text: { zh: 'z', en: 'e' }, data: {} });
    expect(log.all()).toHaveLength(WHY_LOG_CAPACITY);
    expect(log.all()[0]!.at).toBe(6);
    expect(seen).toHaveLength(WHY_LOG_CAPACITY + 5);
  });
});

describe('kq broker prints the why log', () => {
  it('one line each on stderr, and a JSON line each on stdout with --json', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'kq-why-'));
    const broker = await startBrokerProcess(['--json', '--lang', 'en', '--data-dir', dataDir]);
    try {
      const kafka = new Kafka({ clientId: 'why', brokers: [broker.bootstrap], logLevel: logLevel.NOTHING });
      const producer = kafka.producer();
      await producer.connect();
      await producer.send({ topic: 'why-topic', acks: -1, messages: [{ value: 'a' }, { value: 'b' }] });
      await producer.disconnect();
      await waitUntil(() => broker.stdout().includes('"kind":"high-watermark"'), 'a high-watermark JSON line');
      const line = broker
        .stdout()
        .split('\n')
        .find((l) => l.includes('"kind":"high-watermark"'))!;
      expect(JSON.parse(line)).toMatchObject({ node: 0, partition: 'why-topic-0', data: { highWatermark: '2' } });
      expect(broker.stderr()).toMatch(/why: node 0 why-topic-0 high-watermark: high watermark 2: every ISR member/);
    } finally {
      broker.child.kill('SIGTERM');
      await broker.exited;
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
