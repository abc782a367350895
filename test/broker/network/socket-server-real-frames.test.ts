import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { EchoApis } from './support/fake-apis.js';
import { correlationIdOf, sizePrefix } from './support/frames.js';
import { useServers } from './support/harness.js';

interface CapturedFrame {
  readonly scenario: string;
  readonly apiKey: number;
  readonly apiVersion: number;
  readonly correlationId: number;
  readonly hex: string;
}

const captured: CapturedFrame[] = readFileSync(
  new URL('./fixtures/real-client-requests.jsonl', import.meta.url),
  'utf8',
)
  .split('\n')
  .filter((line) => line.trim() !== '')
  .map((line) => JSON.parse(line) as CapturedFrame);

const startServer = useServers();

describe('SocketServer with frames captured from kcat and kafkajs', () => {
  it('hands each captured request to the API layer byte for byte, with its header peeked correctly', async () => {
    expect(captured.length).toBeGreaterThan(10);
    const apis = new EchoApis();
    const { connect } = await startServer(apis);
    const client = await connect();
    const frames = captured.map((frame) => Buffer.from(frame.hex, 'hex'));
    client.write(Buffer.concat(frames.flatMap((frame) => [sizePrefix(frame.length), frame])));

    const responses = await client.waitForResponses(frames.length);
    expect(responses.map(correlationIdOf)).toEqual(captured.map((frame) => frame.correlationId));
    expect(apis.seen.map((request) => request.frame.toString('hex'))).toEqual(captured.map((frame) => frame.hex));
    expect(apis.seen.map((request) => request.header)).toEqual(
      captured.map(({ apiKey, apiVersion, correlationId }) => ({ apiKey, apiVersion, correlationId })),
    );
  });
});
