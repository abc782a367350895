import { connect } from 'node:net';

/** Writes one frame, half-closes, and waits (bounded) for the broker to finish with the connection. */
export function sendAndHalfClose(port: number, frame: Buffer): Promise<'closed' | 'timed out'> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1' }, () => socket.end(frame));
    socket.on('data', () => {});
    socket.on('error', () => {});
    // A mutated Fetch may be a valid long poll; do not let it hold the run up.
    const timer = setTimeout(() => {
      socket.destroy();
      resolve('timed out');
    }, 3000);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve('closed');
    });
  });
}
