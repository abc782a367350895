import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

/** The lowest port handed out: below it live well-known services a developer's machine may run. */
const LOWEST = 10_000;

/**
 * Free ports for listeners that must keep their port across restarts — a cluster's nodes, whose addresses clients
 * and voters hold. A port from `listen(0)` lies in the kernel's ephemeral range: the moment its node dies, any
 * outgoing connection on the machine may be given that port as its local end, and the node cannot listen there
 * again until that connection closes (a CI run lost a power-loss restart to exactly that). So the ports are taken
 * below the ephemeral range (Linux: /proc/sys/net/ipv4/ip_local_port_range), where the kernel never picks a
 * client's port; each is checked free by binding it. Elsewhere, or when that range is too small, the kernel's
 * ephemeral ports as before. `exclude`: ports already promised to this caller.
 */
export async function restartablePorts(
  count: number,
  host: string,
  exclude: readonly number[] = [],
): Promise<number[]> {
  const below = ephemeralRangeStart();
  const ports: number[] = [];
  if (below === undefined || below - LOWEST < 1_000) {
    while (ports.length < count) {
      const port = await bindAndRelease(0, host);
      if (port !== undefined && !exclude.includes(port) && !ports.includes(port)) ports.push(port);
    }
    return ports;
  }
  const span = below - LOWEST;
  let candidate = LOWEST + Math.floor(Math.random() * span);
  for (let tried = 0; ports.length < count; tried++) {
    if (tried >= span) throw new Error(`no free port between ${LOWEST} and ${below - 1} on ${host}`);
    candidate = LOWEST + ((candidate - LOWEST + 1) % span);
    if (exclude.includes(candidate) || ports.includes(candidate)) continue;
    if ((await bindAndRelease(candidate, host)) !== undefined) ports.push(candidate);
  }
  return ports;
}

/** The first port of the kernel's ephemeral range, when the kernel says it (Linux). */
function ephemeralRangeStart(): number | undefined {
  try {
    const [low] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
    return low !== undefined && Number.isInteger(low) && low > LOWEST ? low : undefined;
  } catch {
    return undefined;
  }
}

/** Binds `port` (0: any) and closes it again: the port it got, or undefined when it is taken. */
function bindAndRelease(port: number, host: string): Promise<number | undefined> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', (error: NodeJS.ErrnoException) =>
      error.code === 'EADDRINUSE' || error.code === 'EACCES' ? resolve(undefined) : reject(error),
    );
    server.listen(port, host, () => {
      const address = server.address();
      const bound = typeof address === 'object' && address ? address.port : undefined;
      server.close(() => resolve(bound));
    });
  });
}
