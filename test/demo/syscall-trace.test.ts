import { closeSync, fsyncSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { KafkaBroker } from '../../src/broker/server/kafka-broker.js';
import { SyscallTrace } from '../../src/demo/syscall-trace.js';
import { useTempDir } from '../support/temp-dir.js';

describe('SyscallTrace', () => {
  const tempDir = useTempDir();
  const open: Array<{ stop?: () => Promise<void>; close?: () => Promise<void> }> = [];
  afterEach(async () => {
    for (const o of open.splice(0).reverse()) await (o.stop ?? o.close)?.call(o);
  });

  it('sees an fsync this process makes, with its path, once a barrier connection is accepted', async () => {
    const broker = await KafkaBroker.start({ host: '127.0.0.1', port: 0 });
    open.push(broker);
    const trace = await SyscallTrace.attach(process.pid, ['fsync', 'fdatasync']);
    open.push(trace);
    const file = join(tempDir(), 'marker.bin');
    const fd = openSync(file, 'w');
    fsyncSync(fd);
    closeSync(fd);
    await trace.barrier(broker.host, broker.port);
    const calls = trace.calls({ pathEndsWith: 'marker.bin' });
    expect(calls.map((c) => [c.name, c.path])).toEqual([['fsync', file]]);
  });

  it('says strace cannot attach to a process that does not exist', async () => {
    await expect(SyscallTrace.attach(2 ** 22 + 7, ['fsync'])).rejects.toThrow(/strace|attach|process/);
  });
});
