import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidFrameError, NetworkReceive } from '../../../src/broker/network/network-receive.js';
import { sizePrefix } from './support/frames.js';

function framed(payload: Buffer): Buffer {
  return Buffer.concat([sizePrefix(payload.length), payload]);
}

function catchError(run: () => unknown): Error | undefined {
  try {
    run();
    return undefined;
  } catch (error) {
    return error as Error;
  }
}

function drain(receive: NetworkReceive): Buffer[] {
  const frames: Buffer[] = [];
  for (let frame = receive.nextFrame(); frame !== undefined; frame = receive.nextFrame()) frames.push(frame);
  return frames;
}

describe('NetworkReceive', () => {
  it('cuts several pipelined frames out of one chunk', () => {
    const receive = new NetworkReceive(1024);
    receive.append(Buffer.concat([framed(Buffer.from('one')), framed(Buffer.from('two')), framed(Buffer.from('3'))]));
    expect(drain(receive).map(String)).toEqual(['one', 'two', '3']);
    expect(receive.buffered).toBe(0);
  });

  it('assembles a frame delivered one byte at a time, size prefix included', () => {
    const receive = new NetworkReceive(1024);
    const bytes = framed(Buffer.from('hello kafka'));
    const frames: Buffer[] = [];
    for (const byte of bytes) {
      receive.append(Buffer.from([byte]));
      frames.push(...drain(receive));
    }
    expect(frames.map(String)).toEqual(['hello kafka']);
  });

  it('returns a frame lying inside one chunk as a view of that chunk, without copying', () => {
    const receive = new NetworkReceive(1024);
    const chunk = framed(Buffer.from('zero-copy'));
    receive.append(chunk);
    const frame = receive.nextFrame();
    expect(frame?.buffer).toBe(chunk.buffer);
  });

  it('keeps the bytes of an incomplete frame and counts them as buffered', () => {
    const receive = new NetworkReceive(1024);
    const bytes = framed(Buffer.from('abcdef'));
    receive.append(bytes.subarray(0, 7));
    expect(receive.nextFrame()).toBeUndefined();
    expect(receive.buffered).toBe(7);
    receive.append(bytes.subarray(7));
    expect(String(receive.nextFrame())).toBe('abcdef');
  });

  it('accepts an empty frame and a frame of exactly the maximum size', () => {
    const receive = new NetworkReceive(5);
    receive.append(Buffer.concat([framed(Buffer.alloc(0)), framed(Buffer.from('12345'))]));
    expect(drain(receive).map((frame) => frame.length)).toEqual([0, 5]);
  });

  it.each([
    { case: 'a negative size', size: -1, message: /cannot be negative/ },
    { case: 'the most negative int32', size: -0x80000000, message: /cannot be negative/ },
    { case: 'one byte over the maximum', size: 1025, message: /exceeds socket.request.max.bytes \(1024\)/ },
    { case: 'the largest int32', size: 0x7fffffff, message: /exceeds/ },
  ])('refuses $case as soon as the size prefix is read, before any payload', ({ size, message }) => {
    const receive = new NetworkReceive(1024);
    receive.append(sizePrefix(size));
    const thrown = catchError(() => receive.nextFrame());
    expect(thrown).toBeInstanceOf(InvalidFrameError);
    expect(thrown?.message).toMatch(message);
  });

  it('yields the same frames however the stream is cut into chunks', () => {
    fc.assert(
      fc.property(
        fc.array(fc.uint8Array({ maxLength: 40 }), { minLength: 1, maxLength: 12 }),
        fc.array(fc.nat(), { maxLength: 30 }),
        (payloads, cutSeeds) => {
          const stream = Buffer.concat(payloads.map((p) => framed(Buffer.from(p))));
          const cuts = [...new Set(cutSeeds.map((seed) => seed % (stream.length + 1)))].sort((a, b) => a - b);
          const receive = new NetworkReceive(1024);
          const frames: Buffer[] = [];
          let start = 0;
          for (const end of [...cuts, stream.length]) {
            receive.append(stream.subarray(start, end));
            frames.push(...drain(receive));
            start = end;
          }
          expect(frames.map((f) => f.toString('hex'))).toEqual(payloads.map((p) => Buffer.from(p).toString('hex')));
          expect(receive.buffered).toBe(0);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('NetworkReceive.hasCompleteFrame', () => {
  it('says whether a whole frame is buffered without taking it, across chunk boundaries', async () => {
    const { NetworkReceive } = await import('../../../src/broker/network/network-receive.js');
    const receive = new NetworkReceive(1024);
    const frame = Buffer.alloc(4 + 10);
    frame.writeInt32BE(10, 0);
    receive.append(frame.subarray(0, 2));
    expect(receive.hasCompleteFrame()).toBe(false);
    receive.append(frame.subarray(2, 9));
    expect(receive.hasCompleteFrame()).toBe(false);
    receive.append(frame.subarray(9));
    expect(receive.hasCompleteFrame()).toBe(true);
    expect(receive.nextFrame()?.length).toBe(10);
    expect(receive.hasCompleteFrame()).toBe(false);
  });

  it('reports an oversized size prefix as complete, so reading stops and nextFrame rejects it', async () => {
    const { NetworkReceive } = await import('../../../src/broker/network/network-receive.js');
    const receive = new NetworkReceive(8);
    const prefix = Buffer.alloc(4);
    prefix.writeInt32BE(1_000_000, 0);
    receive.append(prefix);
    expect(receive.hasCompleteFrame()).toBe(true);
    expect(() => receive.nextFrame()).toThrow();
  });
});

describe('NetworkReceive frame allocator', () => {
  it('joins a frame spread over chunks into the allocator’s buffer, told the size and the api key (split too)', () => {
    const asked: Array<[number, number]> = [];
    const given: Buffer[] = [];
    const receive = new NetworkReceive(1024, (size, apiKey) => {
      asked.push([size, apiKey]);
      given.push(Buffer.alloc(size, 0xff));
      return given.at(-1);
    });
    const payload = Buffer.from([0x01, 0x02, 0x03, 0x04, 0x05, 0x06]); // api key 0x0102
    const bytes = framed(payload);
    receive.append(bytes.subarray(0, 5)); // the prefix and the api key's first byte
    receive.append(bytes.subarray(5, 7));
    receive.append(bytes.subarray(7));
    const frame = receive.nextFrame();
    expect(asked).toEqual([[6, 0x0102]]);
    expect(frame?.buffer).toBe(given[0]!.buffer);
    expect(frame?.equals(payload)).toBe(true);
  });

  it('does not ask the allocator for a frame that lies inside one chunk, nor uses it when it declines', () => {
    let asked = 0;
    const receive = new NetworkReceive(1024, () => {
      asked += 1;
      return undefined;
    });
    receive.append(framed(Buffer.from('inside')));
    expect(String(receive.nextFrame())).toBe('inside');
    expect(asked).toBe(0);
    const bytes = framed(Buffer.from('spread over two'));
    receive.append(bytes.subarray(0, 9));
    receive.append(bytes.subarray(9));
    expect(String(receive.nextFrame())).toBe('spread over two');
    expect(asked).toBe(1);
  });
});
