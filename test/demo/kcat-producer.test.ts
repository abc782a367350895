import { spawnSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { KafkaBroker } from '../../src/broker/server/kafka-broker.js';
import { KcatMissingError, KcatProducer } from '../../src/demo/kcat-producer.js';

const kcatInstalled = spawnSync('kcat', ['-V']).status === 0;
let broker: KafkaBroker | undefined;

afterEach(async () => {
  await broker?.close();
  broker = undefined;
});

describe('KcatProducer', () => {
  it('reports a missing kcat as KcatMissingError with an install hint', async () => {
    await expect(KcatProducer.version('kq-no-such-kcat')).rejects.toThrow(KcatMissingError);
    await expect(KcatProducer.version('kq-no-such-kcat')).rejects.toThrow(/apt-get install -y kcat/);
    const producer = KcatProducer.start('127.0.0.1:1', 't', 0, {}, 'kq-no-such-kcat');
    await expect(producer.end()).rejects.toThrow(KcatMissingError);
  });

  it.runIf(kcatInstalled)('names the kcat and librdkafka versions', async () => {
    expect(await KcatProducer.version()).toMatch(/^kcat \d+\.\d+\.\d+, librdkafka \d+\.\d+\.\d+$/);
  });

  it.runIf(kcatInstalled)('produces every written line as one record and exits cleanly when input ends', async () => {
    broker = await KafkaBroker.start({ config: { 'num.partitions': 1 } });
    const producer = KcatProducer.start(broker.bootstrap, 'lines', 0, { 'linger.ms': 5 });
    producer.write(['one', 'two', 'three']);
    const exit = await producer.end();
    expect(exit.code).toBe(0);
    expect(broker.log('lines', 0).logEndOffset).toBe(3n);
  });

  it.runIf(kcatInstalled)('fails end() with kcat’s own message when it cannot deliver', async () => {
    // nothing listens on port 1: kcat gives up after message.timeout.ms and exits non-zero
    const producer = KcatProducer.start('127.0.0.1:1', 'nowhere', 0, { 'message.timeout.ms': 500 });
    producer.write(['lost']);
    await expect(producer.end()).rejects.toThrow(/kcat exited with code/);
  });
});
