import { describe, expect, it } from 'vitest';
import { RequestChannel, type Request } from '../../../src/broker/network/request-channel.js';

function request(correlationId: number, processorId = 0): Request {
  return {
    connectionId: `c${correlationId}`,
    processorId,
    frame: Buffer.alloc(8),
    receivedAt: 0,
    header: { apiKey: 18, apiVersion: 0, correlationId },
  };
}

/** Lets queued microtasks (the channel's wake-ups) run. */
const microtasks = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('RequestChannel', () => {
  it('refuses a request once queued.max.requests are waiting, and never grows past it', () => {
    const channel = new RequestChannel(2);
    expect([1, 2, 3].map((id) => channel.trySendRequest(request(id)))).toEqual([true, true, false]);
    expect(channel.metrics()).toMatchObject({ depth: 2, maxDepthSeen: 2, totalRequests: 2, timesFull: 1 });
  });

  it('hands requests to handlers in arrival order', async () => {
    const channel = new RequestChannel(5);
    channel.trySendRequest(request(1));
    channel.trySendRequest(request(2));
    const first = await channel.receiveRequest();
    const second = await channel.receiveRequest();
    expect([first?.header.correlationId, second?.header.correlationId]).toEqual([1, 2]);
  });

  it('queues a request even with a handler idle, and wakes the handler only in a later turn', async () => {
    const channel = new RequestChannel(2);
    let taken: number | undefined;
    // Not awaited: the point is what happens before it resolves. receiveRequest() never rejects.
    void channel.receiveRequest().then((r) => (taken = r?.header.correlationId));
    expect(channel.trySendRequest(request(7))).toBe(true);
    expect(channel.trySendRequest(request(8))).toBe(true);
    for (let i = 0; i < 10; i++) await Promise.resolve(); // microtasks only: the same turn of the event loop
    // still in the processors' turn: the burst sits in the queue, as it would while Kafka's handlers are busy
    expect(taken).toBeUndefined();
    expect(channel.metrics()).toMatchObject({ depth: 2, maxDepthSeen: 2, totalRequests: 2 });
    expect(channel.trySendRequest(request(9))).toBe(false);
    await microtasks(); // the next turn: the woken handler takes the oldest request
    expect(taken).toBe(7);
    expect(channel.metrics()).toMatchObject({ depth: 1, timesFull: 1 });
  });

  it('wakes every processor waiting for space once a handler takes a request', async () => {
    const channel = new RequestChannel(1);
    channel.trySendRequest(request(1));
    const woken: string[] = [];
    channel.whenSpaceAvailable(() => woken.push('processor 0'));
    channel.whenSpaceAvailable(() => woken.push('processor 1'));
    await microtasks();
    expect(woken).toEqual([]);
    await channel.receiveRequest();
    await microtasks();
    expect(woken).toEqual(['processor 0', 'processor 1']);
  });

  it('routes each response to the queue of the processor that owns the connection', () => {
    const channel = new RequestChannel(5);
    const notified: number[] = [];
    channel.registerProcessor(0, () => notified.push(0));
    channel.registerProcessor(1, () => notified.push(1));
    channel.sendResponse(request(1, 1), { kind: 'noop' });
    expect(notified).toEqual([1]);
    expect(channel.metrics().responseQueueDepths).toEqual({ 0: 0, 1: 1 });
    expect(channel.receiveResponse(0)).toBeUndefined();
    expect(channel.receiveResponse(1)?.request.header.correlationId).toBe(1);
  });

  it('on close, releases idle handlers with no request', async () => {
    const channel = new RequestChannel(5);
    const idle = channel.receiveRequest();
    channel.close();
    expect(await idle).toBeUndefined();
    expect(await channel.receiveRequest()).toBeUndefined();
  });

  it('on close, drops the requests nobody has started, and any that arrive later', () => {
    const channel = new RequestChannel(5);
    channel.trySendRequest(request(1));
    channel.trySendRequest(request(2));
    channel.close();
    expect(channel.trySendRequest(request(3))).toBe(true);
    expect(channel.metrics()).toMatchObject({ depth: 0, droppedAtClose: 3 });
  });

  it.each([0, -1, 1.5])('rejects queued.max.requests = %s', (capacity) => {
    expect(() => new RequestChannel(capacity)).toThrow(/queued.max.requests must be a positive integer/);
  });
});
