// The benchmark's yardstick: the least a broker must do, with no Kafka logic. A plain Node TCP server that cuts
// frames by their 4-byte size prefix like the broker, appends every Produce frame (api key 0) to one file and
// answers with an 8-byte ack, and answers the i-th Fetch frame (api key 1) by reading the next `perFetch`
// appended frames back from the file and streaming them. Prints `listening on PORT`. Usage:
//   node scripts/bench-baseline-server.mjs <file> <perFetch>
import { closeSync, openSync, readSync, writeSync } from 'node:fs';
import { createServer } from 'node:net';

const [file, perFetchText] = process.argv.slice(2);
const perFetch = Number(perFetchText ?? 1);
const fd = openSync(file, 'w+');
const appended = []; // [position, length] of every stored frame
let fileSize = 0;
let fetchCursor = 0;

const server = createServer((socket) => {
  let buffered = Buffer.alloc(0);
  socket.on('data', (chunk) => {
    buffered = buffered.length === 0 ? chunk : Buffer.concat([buffered, chunk]);
    let offset = 0;
    const out = [];
    while (buffered.length - offset >= 4) {
      const size = buffered.readInt32BE(offset);
      if (buffered.length - offset - 4 < size) break;
      const frame = buffered.subarray(offset + 4, offset + 4 + size);
      offset += 4 + size;
      const apiKey = frame.readInt16BE(0);
      const correlationId = frame.readInt32BE(4);
      if (apiKey === 0) {
        writeSync(fd, frame, 0, frame.length, fileSize);
        appended.push([fileSize, frame.length]);
        fileSize += frame.length;
        const ack = Buffer.alloc(8);
        ack.writeInt32BE(4, 0);
        ack.writeInt32BE(correlationId, 4);
        out.push(ack);
      } else {
        const entries = appended.slice(fetchCursor, fetchCursor + perFetch);
        fetchCursor += entries.length;
        const length = entries.reduce((n, [, len]) => n + len, 0);
        const body = Buffer.allocUnsafe(8 + length);
        body.writeInt32BE(4 + length, 0);
        body.writeInt32BE(correlationId, 4);
        if (entries.length > 0) readSync(fd, body, 8, length, entries[0][0]);
        out.push(body);
      }
    }
    buffered = buffered.subarray(offset);
    for (const b of out) socket.write(b);
  });
  socket.on('error', () => {});
});
server.listen(0, '127.0.0.1', () => process.stdout.write(`listening on ${server.address().port}\n`));
process.on('SIGTERM', () => {
  closeSync(fd);
  process.exit(0);
});
