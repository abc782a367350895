import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createTopics } from '../../../src/broker/client/request-builders.js';
import { ApiKey } from '../../../src/broker/protocol/api-keys.js';
import { encodeResponseFrame } from '../../../src/broker/protocol/frames.js';
import { decodeRequestHeader } from '../../../src/broker/protocol/request-header.js';
import { ControllerChannelManager } from '../../../src/broker/server/controller-channel-manager.js';
import { withTimeout } from '../../../src/broker/utils/wait-until.js';

/**
 * A controller that answers BrokerHeartbeat at once and keeps every CreateTopics unanswered, as an active
 * controller still committing (or never committing) a topic does. Counts the connections it accepted.
 */
async function slowCreateTopicsController(): Promise<{ server: Server; port: number; connections: number }> {
  const state = { connections: 0 };
  const server = createServer((socket: Socket) => {
    state.connections++;
    let pending = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      while (pending.length >= 4 && pending.length >= 4 + pending.readInt32BE(0)) {
        const frame = pending.subarray(4, 4 + pending.readInt32BE(0));
        pending = pending.subarray(4 + frame.length);
        const { header } = decodeRequestHeader(frame);
        if (header.apiKey === ApiKey.BrokerHeartbeat)
          for (const part of encodeResponseFrame(ApiKey.BrokerHeartbeat, header.apiVersion, header.correlationId, {
            throttleTimeMs: 0,
            errorCode: 0,
            isCaughtUp: true,
            isFenced: false,
            shouldShutDown: false,
          }))
            socket.write(part);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return Object.assign(state, { server, port });
}

let channel: ControllerChannelManager | undefined;
let server: Server | undefined;
afterEach(async () => {
  channel?.close();
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  channel = undefined;
  server = undefined;
});

describe('ControllerChannelManager', () => {
  it('sends heartbeats on a channel of their own, so a forwarded CreateTopics the controller holds does not delay them', async () => {
    const controller = await slowCreateTopicsController();
    server = controller.server;
    channel = new ControllerChannelManager({
      voters: [{ id: 1, host: '127.0.0.1', port: controller.port }],
      leader: () => ({ leaderId: 1, epoch: 1 }),
      // the CreateTopics is held far longer than the heartbeat is given below
      timeoutMs: 60_000,
    });
    let createSettled = false;
    const create = channel.createTopics(createTopics([{ name: 'held' }]));
    void create.then(
      () => (createSettled = true),
      () => (createSettled = true),
    );
    const heartbeat = await withTimeout(
      channel.processBrokerHeartbeat({
        brokerId: 2,
        brokerEpoch: 1n,
        currentMetadataOffset: 0n,
        wantFence: false,
        wantShutDown: false,
      }),
      'the heartbeat answer while a CreateTopics is held (queued behind it?)',
      10_000,
    );
    expect(heartbeat.isFenced).toBe(false);
    // answered while the CreateTopics ahead of it is still waiting: not queued behind it
    expect(createSettled).toBe(false);
    expect(controller.connections).toBe(2);
  }, 30_000);
});
