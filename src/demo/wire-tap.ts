/**
 * A kafkajs socket factory that keeps a copy of every byte the client writes, so a demo can compare what a real
 * producer put on the wire with what the broker later serves (e.g. a compressed batch, byte for byte). Plain TCP
 * only. One tap per client; `sent()` is everything written so far, across its connections.
 */
import { connect } from 'node:net';
import type { ISocketFactory } from 'kafkajs';

export interface WireTap {
  socketFactory: ISocketFactory;
  sent(): Buffer;
}

export function wireTap(): WireTap {
  const chunks: Buffer[] = [];
  const socketFactory: ISocketFactory = ({ host, port, onConnect }) => {
    const socket = connect({ host, port }, onConnect);
    socket.setKeepAlive(true, 60_000);
    const write = socket.write.bind(socket) as (...args: unknown[]) => boolean;
    socket.write = (data: unknown, ...rest: unknown[]) => {
      if (typeof data === 'string' || Buffer.isBuffer(data) || data instanceof Uint8Array)
        chunks.push(Buffer.from(data as Uint8Array));
      return write(data, ...rest);
    };
    return socket;
  };
  return { socketFactory, sent: () => Buffer.concat(chunks) };
}
