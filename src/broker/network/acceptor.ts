import net from 'node:net';
import type { Processor } from './processor.js';

/** The address a listener is bound to; `port` is the real one even when port 0 was asked for. */
export interface BoundAddress {
  readonly host: string;
  readonly port: number;
}

/**
 * The listener could not be bound. An environment problem (the CLI exits 3): `code` stays stable for callers,
 * `syscallCode` is the operating system's reason (EADDRINUSE, EACCES, EADDRNOTAVAIL, ...).
 */
export class SocketServerBindError extends Error {
  readonly code = 'SOCKET_SERVER_BIND_FAILED';

  constructor(
    readonly host: string,
    readonly port: number,
    readonly syscallCode: string,
    cause: Error,
  ) {
    super(`cannot listen on ${host}:${port}: ${explainBindFailure(syscallCode, port, cause)}`, { cause });
    this.name = 'SocketServerBindError';
  }
}

function explainBindFailure(syscallCode: string, port: number, cause: Error): string {
  switch (syscallCode) {
    case 'EADDRINUSE':
      return 'the port is already in use. Stop the process using it, or choose another port (0 picks a free one).';
    case 'EACCES':
      return port < 1024
        ? 'permission denied; ports below 1024 need privileges. Choose a port of 1024 or above.'
        : 'permission denied by the operating system. Choose another port or host.';
    case 'EADDRNOTAVAIL':
      return 'this machine has no such address. Use 127.0.0.1, or an address of one of its interfaces.';
    default:
      return `${cause.message}. Check the host and port.`;
  }
}

export interface AcceptorMetrics {
  /** Connections accepted since start. */
  readonly acceptedConnections: number;
  /** Failed accepts (e.g. EMFILE: out of file descriptors); the listener keeps going, as Kafka's does. */
  readonly acceptErrors: number;
}

/**
 * The listening socket, as in Kafka's `SocketServer.Acceptor`: accepts connections and hands each to the
 * next `Processor` in round-robin order, so connections (not requests) are spread over the network threads.
 *
 * Owns the `net.Server`. TCP_NODELAY and keep-alive are set on every accepted socket, as Kafka does: requests
 * and responses are small and latency-bound, and Nagle's algorithm would hold them back.
 *
 * Only the `SocketServer` calls it (bind at startup, close at shutdown).
 */
export class Acceptor {
  private readonly server: net.Server;
  private nextProcessor = 0;
  private acceptedConnections = 0;
  private acceptErrors = 0;
  private bound: BoundAddress | undefined;

  constructor(private readonly processors: readonly Processor[]) {
    if (processors.length === 0) throw new RangeError('an Acceptor needs at least one Processor');
    // allowHalfOpen: when a client ends its side right after pipelining requests (kcat with acks=0 does), the
    // requests already read are still handled, and the Processor closes our side once they are done.
    this.server = net.createServer({ noDelay: true, keepAlive: true, allowHalfOpen: true }, (socket) =>
      this.assignNewConnection(socket),
    );
  }

  get boundAddress(): BoundAddress | undefined {
    return this.bound;
  }

  /** Starts listening. @throws SocketServerBindError when the address cannot be bound. */
  bind(host: string, port: number): Promise<BoundAddress> {
    return new Promise((resolve, reject) => {
      const onError = (error: NodeJS.ErrnoException): void => {
        reject(new SocketServerBindError(host, port, error.code ?? 'UNKNOWN', error));
      };
      this.server.once('error', onError);
      this.server.listen({ host, port }, () => {
        this.server.off('error', onError);
        this.server.on('error', () => {
          this.acceptErrors += 1;
        });
        const address = this.server.address();
        if (address === null || typeof address === 'string') {
          reject(new Error(`listener on ${host}:${port} reported no TCP address`));
          return;
        }
        this.bound = { host: address.address, port: address.port };
        resolve(this.bound);
      });
    });
  }

  /** Stops accepting. Resolves once the listener and every connection it accepted have closed. */
  close(): Promise<void> {
    return new Promise((resolve) => {
      if (!this.server.listening) {
        resolve();
        return;
      }
      this.server.close(() => resolve());
    });
  }

  metrics(): AcceptorMetrics {
    return { acceptedConnections: this.acceptedConnections, acceptErrors: this.acceptErrors };
  }

  private assignNewConnection(socket: net.Socket): void {
    const processor = this.processors[this.nextProcessor];
    this.nextProcessor = (this.nextProcessor + 1) % this.processors.length;
    if (processor === undefined) throw new Error('Acceptor: round-robin index out of range');
    this.acceptedConnections += 1;
    processor.accept(socket);
  }
}
