import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FileQuorumStateStore } from '../../../src/broker/raft/quorum-state-store.js';

describe('FileQuorumStateStore (the quorum-state file)', () => {
  const dirs: string[] = [];
  const store = () => {
    const dir = mkdtempSync(join(tmpdir(), 'kq-quorum-state-'));
    dirs.push(dir);
    return new FileQuorumStateStore(join(dir, 'quorum-state'));
  };
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('a fresh directory has no state; a written vote reads back after a "restart" (a new store on the same file)', () => {
    const first = store();
    expect(first.read()).toBeUndefined();
    first.write({ epoch: 7, leaderId: -1, votedId: 2, voters: [1, 2, 3] });
    expect(new FileQuorumStateStore(first.path).read()).toEqual({
      epoch: 7,
      leaderId: -1,
      votedId: 2,
      voters: [1, 2, 3],
    });
  });

  it('writes Kafka’s JSON layout (data_version 0, leaderEpoch, votedId, currentVoters) and leaves no .tmp behind', () => {
    const s = store();
    s.write({ epoch: 3, leaderId: 1, votedId: -1, voters: [1, 2] });
    expect(JSON.parse(readFileSync(s.path, 'utf8'))).toMatchObject({
      leaderId: 1,
      leaderEpoch: 3,
      votedId: -1,
      currentVoters: [{ voterId: 1 }, { voterId: 2 }],
      data_version: 0,
    });
    expect(() => readFileSync(`${s.path}.tmp`)).toThrow(/ENOENT/);
  });

  it('refuses a file that is not a quorum-state file rather than guessing an epoch', () => {
    const s = store();
    writeFileSync(s.path, JSON.stringify({ leaderEpoch: 'three', data_version: 0 }));
    expect(() => s.read()).toThrow(/not a quorum-state file/);
  });
});
