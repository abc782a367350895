import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../../../src/broker/protocol/error-codes.js';
import { AlterConfigOp } from '../../../src/broker/protocol/incremental-alter-configs/request.js';
import { ControllerQuorum, settle } from '../support/controller-quorum.js';

const TOPIC = 2;

async function quorumWithTopic(): Promise<ControllerQuorum> {
  const q = new ControllerQuorum([1, 2, 3], {
    validateTopicConfig: (name, value) => (name === 'retention.ms' && !/^-?\d+$/.test(value) ? 'not a number' : null),
  });
  await q.elect(1);
  await q.registerAndUnfence([1, 2, 3]);
  const created = await q.active.createTopics({
    topics: [
      {
        name: 'orders',
        numPartitions: 1,
        replicationFactor: 3,
        assignments: [],
        configs: [{ name: 'cleanup.policy', value: 'delete' }],
      },
    ],
    timeoutMs: 1000,
    validateOnly: false,
  });
  expect(created.topics[0]?.errorCode).toBe(0);
  return q;
}

describe('QuorumController: topic configs (IncrementalAlterConfigs forwarded by brokers)', () => {
  it('writes SET and DELETE as ConfigRecords that every controller replays', async () => {
    const q = await quorumWithTopic();
    const response = await q.active.incrementalAlterConfigs({
      resources: [
        {
          resourceType: TOPIC,
          resourceName: 'orders',
          configs: [
            { name: 'retention.ms', configOperation: AlterConfigOp.SET, value: '60000' },
            { name: 'cleanup.policy', configOperation: AlterConfigOp.DELETE, value: null },
          ],
        },
      ],
      validateOnly: false,
    });
    expect(response.responses).toEqual([
      { errorCode: 0, errorMessage: null, resourceType: TOPIC, resourceName: 'orders' },
    ]);
    await settle(
      () => q.controller(3).replication.topic('orders')?.configs.get('retention.ms') === '60000',
      'controller 3 replays the new retention.ms',
    );
    expect([...q.controller(3).replication.topic('orders')!.configs]).toEqual([['retention.ms', '60000']]);
  });

  it('refuses a bad value (INVALID_CONFIG), an unknown topic, APPEND and other resource types, and writes nothing for them or for validate_only', async () => {
    const q = await quorumWithTopic();
    const alter = (
      resourceName: string,
      op: number,
      value: string | null,
      validateOnly = false,
      resourceType = TOPIC,
    ) =>
      q.active.incrementalAlterConfigs({
        resources: [{ resourceType, resourceName, configs: [{ name: 'retention.ms', configOperation: op, value }] }],
        validateOnly,
      });
    expect((await alter('orders', AlterConfigOp.SET, 'soon')).responses[0]?.errorCode).toBe(ErrorCode.INVALID_CONFIG);
    expect((await alter('nope', AlterConfigOp.SET, '1')).responses[0]?.errorCode).toBe(
      ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
    );
    expect((await alter('orders', AlterConfigOp.APPEND, '1')).responses[0]?.errorCode).toBe(ErrorCode.INVALID_REQUEST);
    expect((await alter('1', AlterConfigOp.SET, '1', false, 4)).responses[0]?.errorCode).toBe(
      ErrorCode.INVALID_REQUEST,
    );
    expect((await alter('orders', AlterConfigOp.SET, '5', true)).responses[0]?.errorCode).toBe(ErrorCode.NONE);
    expect([...q.active.replication.topic('orders')!.configs]).toEqual([['cleanup.policy', 'delete']]);
    expect((await q.controller(2).incrementalAlterConfigs({ resources: [], validateOnly: false })).responses).toEqual(
      [],
    );
    const notActive = await q.controller(2).incrementalAlterConfigs({
      resources: [{ resourceType: TOPIC, resourceName: 'orders', configs: [] }],
      validateOnly: false,
    });
    expect(notActive.responses[0]?.errorCode).toBe(ErrorCode.NOT_CONTROLLER);
  });
});
