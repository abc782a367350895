import { MessageCodec } from '../protocol/schema/message-codec.js';

// LeaderChangeMessage (Version: 0) => version leader_id [voters] [granting_voters] _tagged_fields
//   version => INT16
//   leader_id => INT32
//   voters => voter_id _tagged_fields
//     voter_id => INT32
//   granting_voters => voter_id _tagged_fields
//     voter_id => INT32
//
// The value of the control record a new KRaft leader appends first (Kafka's LeaderChangeMessage.json, a data
// message flexible from v0; v1 adds KIP-853 directory ids, not implemented). Its key is the control record key
// `version int16 = 0, type int16 = 2` (ControlRecordType.LEADER_CHANGE).

/** The control record a new leader appends first, as the state machine holds it. */
export interface LeaderChangeRecord {
  readonly type: 'leader-change';
  readonly leaderId: number;
  readonly voters: readonly number[];
  /** The voters that granted this leader its election (itself included). */
  readonly grantingVoters: readonly number[];
}

interface LeaderChangeMessage {
  version: number;
  leaderId: number;
  voters: { voterId: number }[];
  grantingVoters: { voterId: number }[];
}

const voterFields = [{ name: 'voterId', type: 'int32', versions: '0+' }] as const;

const leaderChangeMessageCodec = new MessageCodec<LeaderChangeMessage>({
  name: 'LeaderChangeMessage',
  versions: '0',
  flexibleVersions: '0+',
  fields: [
    { name: 'version', type: 'int16', versions: '0+' },
    { name: 'leaderId', type: 'int32', versions: '0+' },
    { name: 'voters', type: '[]', versions: '0+', fields: voterFields },
    { name: 'grantingVoters', type: '[]', versions: '0+', fields: voterFields },
  ],
});

/** ControlRecordType.LEADER_CHANGE, in the control record key. */
export const LEADER_CHANGE_CONTROL_TYPE = 2;

export function isLeaderChangeRecord(record: unknown): record is LeaderChangeRecord {
  return typeof record === 'object' && record !== null && (record as { type?: unknown }).type === 'leader-change';
}

/** The control record's key: `version int16 = 0, type int16`. */
export function controlRecordKey(type: number): Buffer {
  const key = Buffer.alloc(4);
  key.writeInt16BE(0, 0);
  key.writeInt16BE(type, 2);
  return key;
}

/** The control record type a key names, or -1 when the key is too short to name one. */
export function controlRecordType(key: Buffer | null): number {
  return key && key.length >= 4 ? key.readInt16BE(2) : -1;
}

export function encodeLeaderChangeMessage(record: LeaderChangeRecord): Buffer {
  return leaderChangeMessageCodec.encode(0, {
    version: 0,
    leaderId: record.leaderId,
    voters: record.voters.map((voterId) => ({ voterId })),
    grantingVoters: record.grantingVoters.map((voterId) => ({ voterId })),
  });
}

export function decodeLeaderChangeMessage(bytes: Buffer): LeaderChangeRecord {
  const message = leaderChangeMessageCodec.decode(0, bytes);
  return {
    type: 'leader-change',
    leaderId: message.leaderId,
    voters: message.voters.map((v) => v.voterId),
    grantingVoters: message.grantingVoters.map((v) => v.voterId),
  };
}
