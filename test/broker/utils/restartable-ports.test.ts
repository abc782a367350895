import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { restartablePorts } from '../../../src/broker/utils/restartable-ports.js';

const ephemeralStart = (() => {
  try {
    return Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);
  } catch {
    return undefined;
  }
})();

function listenOn(port: number): Promise<() => Promise<void>> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(() => new Promise((done) => server.close(() => done()))));
  });
}

describe('restartablePorts', () => {
  it.skipIf(ephemeralStart === undefined)(
    'picks distinct free ports below the kernel ephemeral range, so no client socket can take one while its node is down',
    async () => {
      const ports = await restartablePorts(5, '127.0.0.1');
      expect(new Set(ports).size).toBe(5);
      for (const port of ports) {
        expect(port).toBeLessThan(ephemeralStart!);
        expect(port).toBeGreaterThanOrEqual(10_000);
        const close = await listenOn(port); // free: a node can listen there
        await close();
      }
    },
  );

  it('never returns a port it was told to exclude, nor one another listener holds', async () => {
    const [held] = await restartablePorts(1, '127.0.0.1');
    const close = await listenOn(held!);
    try {
      const [excluded] = await restartablePorts(1, '127.0.0.1');
      const ports = await restartablePorts(200, '127.0.0.1', [excluded!]);
      expect(ports).not.toContain(excluded);
      expect(ports).not.toContain(held);
    } finally {
      await close();
    }
  });
});
