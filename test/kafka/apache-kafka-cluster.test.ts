import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApacheKafkaCluster, fetchKafka, KafkaSetupError } from '../../src/kafka/index.js';
import { useTempDir } from '../support/temp-dir.js';
import { accepts, exists, isAlive, kcatMetadata, pidsMentioning, processGroupOf, processStateOf } from './support.js';
import { waitUntil } from '../../src/broker/utils/wait-until.js';

beforeAll(() => {
  fetchKafka(); // cached after the first run; CI fetches before the suite
}, 600_000);

describe('one Apache Kafka KRaft node', () => {
  let cluster: ApacheKafkaCluster;
  beforeAll(async () => {
    cluster = await ApacheKafkaCluster.start({ brokers: 1 });
  }, 120_000);
  afterAll(async () => {
    await cluster?.stop();
  }, 60_000);

  it('answers Metadata listing itself on 127.0.0.1 at an ephemeral port', () => {
    const node = cluster.node(1);
    expect(node.port).toBeGreaterThan(1023);
    const metadata = kcatMetadata(cluster.bootstrap);
    expect(metadata.brokers).toEqual([{ id: 1, name: `127.0.0.1:${node.port}` }]);
  });

  it('runs its JVM in a process group of its own, with formatted storage in its data dir', () => {
    const node = cluster.node(1);
    expect(node.pid).toBeDefined();
    expect(processGroupOf(node.pid!)).toBe(node.pid);
    expect(processGroupOf(node.pid!)).not.toBe(processGroupOf(process.pid));
    expect(exists(join(node.dataDir, 'meta.properties'))).toBe(true);
    expect(exists(join(node.dataDir, '__cluster_metadata-0'))).toBe(true);
  });

  it('reports its resident and peak memory from /proc', () => {
    const memory = cluster.node(1).memory();
    expect(memory?.rssKiB).toBeGreaterThan(10_000);
    expect(memory!.peakRssKiB).toBeGreaterThanOrEqual(memory!.rssKiB);
  });

  it('pause() freezes the JVM (state T) and resume() thaws it so it answers again', async () => {
    const node = cluster.node(1);
    node.pause();
    await waitUntil(() => processStateOf(node.pid!) === 'T', 'the JVM to stop (SIGSTOP)', 20_000);
    expect(node.isPaused).toBe(true);
    node.resume();
    await waitUntil(() => processStateOf(node.pid!) !== 'T', 'the JVM to continue (SIGCONT)', 20_000);
    expect(kcatMetadata(cluster.bootstrap).brokers).toHaveLength(1);
  });

  it('kill() ends the JVM with SIGKILL and frees its port; restart() brings the node back on the same port', async () => {
    const node = cluster.node(1);
    const pid = node.pid!;
    const exit = await node.kill();
    expect(exit.signal).toBe('SIGKILL');
    expect(isAlive(pid)).toBe(false);
    expect(await accepts(node.port)).toBe(false);
    await cluster.restart(1);
    expect(node.pid).not.toBe(pid);
    expect(kcatMetadata(cluster.bootstrap).brokers).toEqual([{ id: 1, name: node.address }]);
  }, 120_000);

  it('stop() removes the temporary data dir and leaves no JVM', async () => {
    const pid = cluster.node(1).pid!;
    await cluster.stop();
    expect(isAlive(pid)).toBe(false);
    expect(exists(cluster.dir)).toBe(false);
  }, 60_000);
});

describe('faults while starting Apache Kafka', () => {
  const temp = useTempDir();
  let blocker: Server | undefined;
  afterAll(() => blocker?.close());

  it('a port in use is a setup error naming the port, before any JVM starts', async () => {
    blocker = createServer();
    await new Promise<void>((resolve) => blocker!.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    await expect(ApacheKafkaCluster.start({ port, dataDir: temp() })).rejects.toThrow(
      new RegExp(`port ${port} on 127\\.0\\.0\\.1 is in use`),
    );
    expect(pidsMentioning(temp())).toEqual([]);
  });

  it('a node not ready in time is killed, and the error shows the last lines of its log', async () => {
    const attempt = ApacheKafkaCluster.start({ dataDir: temp(), readyTimeoutMs: 300 });
    await expect(attempt).rejects.toThrow(KafkaSetupError);
    await expect(attempt).rejects.toThrow(/node 1 .* was not ready within 0 s .*last lines of .*server\.log/s);
    expect(pidsMentioning(temp())).toEqual([]);
  }, 60_000);

  it('a JVM that dies while starting (out of heap) is reported with its exit and log, not waited for', async () => {
    const attempt = ApacheKafkaCluster.start({ dataDir: temp(), heap: '12m' });
    await expect(attempt).rejects.toThrow(/node 1 exited before it was ready \(exit 1\).*OutOfMemoryError/s);
    expect(pidsMentioning(temp())).toEqual([]);
  }, 60_000);
});
