/**
 * The mutations `npm run demos:mutate` applies: for every demo, at least one breakage of the mechanism its claim
 * rests on. Each replaces one exact piece of source (found once, or the run fails as stale). A demo that still comes
 * out PROVEN on one of these proves less than it claims.
 */
import type { Mutation } from './mutant.js';

const LOG_SEGMENT = 'src/broker/log/log-segment.ts';
const LOG_SEGMENTS = 'src/broker/log/log-segments.ts';
const UNIFIED_LOG = 'src/broker/log/unified-log.ts';
const RECORD_BATCH = 'src/broker/record/record-batch.ts';
const REPLICA_MANAGER = 'src/broker/server/replica-manager.ts';
const PARTITION = 'src/broker/cluster/partition.ts';
const SERVE_RECORDS = 'return answer(ErrorCode.NONE, records);';

export const MUTATIONS: readonly Mutation[] = [
  {
    id: 'fsync-every-append',
    demo: 'sequential-io',
    breaks: 'the log fsyncs every append behind the flush policy’s back (a raw fsync, no flush counter moves)',
    file: LOG_SEGMENT,
    find: 'writeSync(this.fd, records, 0, records.length);',
    replace: 'writeSync(this.fd, records, 0, records.length);\n    fsyncSync(this.fd);',
    fast: true,
  },
  {
    id: 'flush-messages-ignored',
    demo: 'sequential-io',
    breaks: 'flush.messages is never acted on',
    file: UNIFIED_LOG,
    find: 'if (this.unflushedMessages >= BigInt(this.config.flushIntervalMessages))',
    replace: 'if (false)',
  },
  {
    id: 'index-every-batch',
    demo: 'log-anatomy',
    breaks: 'the offset index gets an entry for every batch (dense, not sparse)',
    file: LOG_SEGMENT,
    find: 'if (this.bytesSinceLastIndexEntry > this.indexIntervalBytes) {',
    replace: 'if (position > 0) {',
    fast: true,
  },
  {
    id: 'floor-search-one-low',
    demo: 'log-anatomy',
    breaks: 'the binary search over segments returns the segment before the right one (a read falls through to it)',
    file: LOG_SEGMENTS,
    find: 'found = segment;',
    replace: 'found = this.sorted[mid - 1] ?? segment;',
  },
  {
    id: 'regzip-on-append',
    demo: 'compression-passthrough',
    breaks: 'the broker re-encodes gzip batches (as decompress + recompress would: other gzip header bytes, new CRC)',
    file: RECORD_BATCH,
    find: '    this.buffer.writeInt32BE(epoch, PARTITION_LEADER_EPOCH);',
    replace:
      '    this.buffer.writeInt32BE(epoch, PARTITION_LEADER_EPOCH);\n' +
      '    if (this.compressionCodec === 1) {\n' +
      '      this.buffer[RECORD_BATCH_OVERHEAD + 9] = 0xff; // gzip header OS byte: "unknown", as Java writes it\n' +
      '      writeChecksum(this.buffer.subarray(0, this.sizeInBytes));\n' +
      '    }',
    fast: true,
  },
  {
    id: 'reencode-on-append',
    demo: 'zero-copy-serve',
    breaks: 'the broker re-encodes batches on append instead of storing the wire bytes',
    file: RECORD_BATCH,
    find: '    this.buffer.writeInt32BE(epoch, PARTITION_LEADER_EPOCH);',
    replace:
      '    this.buffer.writeInt32BE(epoch, PARTITION_LEADER_EPOCH);\n' +
      '    this.buffer.writeBigInt64BE(this.buffer.readBigInt64BE(27) + 1n, 27); // baseTimestamp, inside the CRC\n' +
      '    writeChecksum(this.buffer.subarray(0, this.sizeInBytes));',
  },
  {
    id: 'fetch-rewrites-bytes',
    demo: 'zero-copy-serve',
    breaks: 'a Fetch serves re-encoded bytes, not the file’s',
    file: REPLICA_MANAGER,
    find: SERVE_RECORDS,
    replace:
      'return answer(ErrorCode.NONE, records.length > 61 ? Buffer.concat([records.subarray(0, 34), Buffer.from([records[34]! ^ 1]), records.subarray(35)]) : records);',
  },
  {
    id: 'commit-off-by-one',
    demo: 'offset-commit',
    breaks: 'the coordinator stores the committed offset minus one (the last processed, not the next)',
    file: 'src/broker/group/offset-metadata-manager.ts',
    find: 'offset: { offset: p.committedOffset,',
    replace: 'offset: { offset: p.committedOffset - 1n,',
  },
  {
    id: 'unbounded-request-queue',
    demo: 'reactor-pipeline',
    breaks: 'the request queue ignores queued.max.requests',
    file: 'src/broker/network/request-channel.ts',
    find: 'if (this.requestQueue.length >= this.queuedMaxRequests) {',
    replace: 'if (false) {',
    fast: true,
  },
  {
    id: 'no-mute-while-in-flight',
    demo: 'reactor-pipeline',
    breaks: 'a connection is not muted while its request is in flight (requests of one connection run concurrently)',
    file: 'src/broker/network/processor.ts',
    find: '    channel.mute();\n    this.sendRequest({',
    replace: '    this.sendRequest({',
  },
  {
    id: 'create-partitions-noop',
    demo: 'partition-ordering',
    breaks: 'CreatePartitions answers NONE but adds no partition',
    file: 'src/broker/server/admin-manager.ts',
    find: 'this.logManager.createPartitions(topic.name, topic.count, request.validateOnly);',
    replace: 'void this.logManager;',
  },
  {
    id: 'sequence-check-off',
    demo: 'partition-ordering',
    breaks: 'the broker no longer checks an idempotent producer’s sequence numbers (gaps accepted)',
    file: 'src/broker/log/producer-append-info.ts',
    find: '  private checkSequence(producerEpoch: number, firstSeq: number, offset: bigint): void {',
    replace: '  private checkSequence(producerEpoch: number, firstSeq: number, offset: bigint): void {\n    return;',
    set: ['enable.idempotence=true'],
  },
  {
    id: 'sequence-check-off',
    demo: 'idempotent-producer',
    breaks: 'the broker no longer checks an idempotent producer’s sequence numbers (gaps accepted)',
    file: 'src/broker/log/producer-append-info.ts',
    find: '  private checkSequence(producerEpoch: number, firstSeq: number, offset: bigint): void {',
    replace: '  private checkSequence(producerEpoch: number, firstSeq: number, offset: bigint): void {\n    return;',
  },
  {
    id: 'naive-abs',
    demo: 'coordinator-lookup',
    breaks: 'the coordinator partition uses Math.abs, not Kafka’s Utils.abs (Integer.MIN_VALUE stays negative)',
    file: 'src/broker/group/group-metadata-manager.ts',
    find: 'const abs = hash === -2147483648 ? 0 : Math.abs(hash);',
    replace: 'const abs = Math.abs(hash);',
  },
  {
    id: 'modulus-fixed-50',
    demo: 'coordinator-lookup',
    breaks: 'the coordinator partition ignores offsets.topic.num.partitions (always % 50)',
    file: 'src/broker/group/group-metadata-manager.ts',
    find: 'return abs % numPartitions;',
    replace: 'return abs % 50;',
  },
  {
    id: 'no-controller',
    demo: 'kraft-metadata',
    breaks: 'Metadata names no controller',
    file: 'src/broker/server/kafka-apis.ts',
    find: 'controllerId: this.config.brokerId,',
    replace: 'controllerId: -1,',
  },
  {
    id: 'earliest-is-zero',
    demo: 'auto-offset-reset',
    breaks: 'ListOffsets(earliest) answers 0 instead of the log start offset',
    file: 'src/broker/server/kafka-apis.ts',
    find: 'return answer(ErrorCode.NONE, partition.logStartOffset, -1n, partition.leaderEpoch);',
    replace: 'return answer(ErrorCode.NONE, 0n, -1n, partition.leaderEpoch);',
  },
  {
    id: 'session-never-expires',
    demo: 'consumer-group-rebalance',
    breaks: 'a silent member’s session never expires',
    file: 'src/broker/group/group-coordinator.ts',
    find: 'member.heartbeatTimer = this.scheduler.schedule(member.sessionTimeoutMs, () =>',
    replace: 'member.heartbeatTimer = this.scheduler.schedule(member.sessionTimeoutMs * 1000, () =>',
  },
  {
    id: 'hold-future-records',
    demo: 'delayed-delivery',
    breaks: 'the broker holds back a batch stamped in the future (a native delay)',
    file: REPLICA_MANAGER,
    find: SERVE_RECORDS,
    replace:
      'return answer(ErrorCode.NONE, records.length > 61 && Number(records.readBigInt64BE(35)) > Date.now() ? Buffer.alloc(0) : records);',
  },
  {
    id: 'linger-not-applied',
    demo: 'producer-batching',
    breaks: 'the producer’s linger.ms is not applied',
    file: 'src/demo/kcat-producer.ts',
    find: "for (const [name, value] of Object.entries(settings)) args.push('-X', `${name}=${value}`);",
    replace:
      "for (const [name, value] of Object.entries(settings)) if (name !== 'linger.ms') args.push('-X', `${name}=${value}`);",
  },
  {
    id: 'no-long-poll-park',
    demo: 'pull-long-poll',
    breaks: 'a Fetch that finds too little is answered at once instead of parked in the purgatory',
    file: REPLICA_MANAGER,
    find: 'if (params.maxWaitMs <= 0 || params.partitions.length === 0',
    replace: 'if (true || params.partitions.length === 0',
    fast: true,
  },
  {
    id: 'retention-bytes-ignored',
    demo: 'retention-replay',
    breaks: 'retention.bytes deletes nothing',
    file: UNIFIED_LOG,
    find: 'if (this.config.retentionBytes >= 0) {',
    replace: 'if (false) {',
  },
  {
    id: 'corrupt-on-fetch',
    demo: 'throughput-measure',
    breaks: 'a Fetch serves one byte of each response changed (records no longer what was produced)',
    file: REPLICA_MANAGER,
    find: SERVE_RECORDS,
    replace:
      'return answer(ErrorCode.NONE, records.length > 80 ? Buffer.concat([records.subarray(0, records.length - 1), Buffer.from([records[records.length - 1]! ^ 1])]) : records);',
  },
  // bank (issue 14): the demos of the new cards.
  {
    id: 'latest-offset-plus-one',
    demo: 'consumer-lag',
    breaks: 'ListOffsets(latest) answers one past the high watermark (lag measured against a wrong end)',
    file: 'src/broker/server/kafka-apis.ts',
    find: 'return answer(ErrorCode.NONE, partition.highWatermark, -1n, partition.leaderEpoch);',
    replace: 'return answer(ErrorCode.NONE, partition.highWatermark + 1n, -1n, partition.leaderEpoch);',
  },
  {
    id: 'everyone-gets-leaders-part',
    demo: 'consumer-scale-out',
    breaks: 'SyncGroup hands every member the leader’s part of the assignment (partitions not divided)',
    file: 'src/broker/group/group-coordinator.ts',
    find: 'for (const member of group.members.values()) member.assignment = given.get(member.memberId) ?? EMPTY;',
    replace:
      "for (const member of group.members.values()) member.assignment = given.get(group.leaderId ?? '') ?? EMPTY;",
  },
  {
    id: 'commits-forgotten',
    demo: 'dedupe-consumer',
    breaks: 'the coordinator acknowledges offset commits but does not keep them (a new member re-reads from 0)',
    file: 'src/broker/group/offset-metadata-manager.ts',
    find: 'for (const c of commits) group.setOffset(c.topic, c.partition, c.offset);',
    replace: 'for (const c of commits.slice(0, 0)) group.setOffset(c.topic, c.partition, c.offset);',
  },
  {
    id: 'offsets-skip-one',
    demo: 'retry-dlq',
    breaks: 'the log leaves a one-offset gap before every batch (the DLQ’s origin offset no longer names the record)',
    file: UNIFIED_LOG,
    find: '      let next = baseOffset;',
    replace: '      let next = baseOffset + 1n;',
  },
  {
    id: 'shrink-not-refused',
    demo: 'partition-cost',
    breaks: 'CreatePartitions does not refuse a smaller count with INVALID_PARTITIONS',
    file: 'src/broker/server/log-manager.ts',
    find: 'if (!Number.isInteger(totalCount) || totalCount <= current) {',
    replace: 'if (!Number.isInteger(totalCount) || totalCount === current) {',
  },
  {
    id: 'parked-request-holds-handler',
    demo: 'request-handler-idle',
    breaks: 'a request parked in the purgatory keeps its handler until it completes',
    file: 'src/broker/network/kafka-request-handler.ts',
    find: '      void settle(response.completion, request).then((done) => {',
    replace: '      await settle(response.completion, request).then((done) => {',
    fast: true,
  },
  {
    id: 'no-duplicate-detection',
    demo: 'idempotent-producer',
    breaks: 'the producer state never recognises a retried batch',
    file: 'src/broker/log/producer-state-entry.ts',
    find: '    if (batch.producerEpoch !== this.epoch) return undefined;\n    return this.batchWithSequenceRange(',
    replace:
      '    if (batch.producerEpoch === batch.producerEpoch) return undefined;\n    return this.batchWithSequenceRange(',
    fast: true,
  },
  {
    id: 'hw-is-leader-leo',
    demo: 'replication-isr',
    breaks: 'the leader sets the high watermark to its own log end, ignoring the ISR followers',
    file: PARTITION,
    find: '      if (waitForIt && replica.logEndOffset < newHighWatermark) newHighWatermark = replica.logEndOffset;',
    replace: '      if (waitForIt && replica.logEndOffset < 0n) newHighWatermark = replica.logEndOffset;',
  },
  {
    id: 'min-isr-not-enforced',
    demo: 'replication-isr',
    breaks: 'acks=all is appended whatever the ISR size (min.insync.replicas never refuses)',
    file: PARTITION,
    find: '    if (requiredAcks === -1 && inSync < minIsr) {',
    replace: '    if (requiredAcks === -1 && inSync < 0) {',
  },
  {
    id: 'hw-moves-below-min-isr',
    demo: 'replication-isr',
    breaks: 'the high watermark advances while the ISR is below min.insync.replicas (Kafka before 3.7, KAFKA-15583)',
    file: PARTITION,
    find: '    if (!this.isLeader || this.isUnderMinIsr) return false;\n    const leaderEnd = this.log.logEndOffset;',
    replace: '    if (!this.isLeader) return false;\n    const leaderEnd = this.log.logEndOffset;',
  },
  {
    id: 'acks-all-answers-at-append',
    demo: 'acks-durability',
    breaks: 'acks=all is answered as soon as the leader appended, like acks=1',
    file: REPLICA_MANAGER,
    find: '    if (requiredAcks !== -1 || waiting.length === 0) return results;',
    replace: '    if (requiredAcks !== 99 || waiting.length === 0) return results;',
  },
  {
    id: 'follower-never-truncates',
    demo: 'leader-election',
    breaks: 'a follower keeps the records past the point where its log diverges from the new leader',
    file: 'src/broker/server/replica-fetcher-thread.ts',
    find: '    if (offset >= from) return;\n    const highWatermark = partition.highWatermark;',
    replace: '    if (offset >= 0n) return;\n    const highWatermark = partition.highWatermark;',
  },
  {
    id: 'unclean-election-never',
    demo: 'leader-election',
    breaks: 'the controller never elects an out-of-sync replica, whatever unclean.leader.election.enable says',
    file: 'src/broker/controller/leader-election.ts',
    find: "  if (input.election === 'UNCLEAN') {",
    replace: '  if (input.election !== input.election) {',
  },
  {
    id: 'truncate-to-high-watermark',
    demo: 'leader-epoch-truncation',
    breaks: 'a follower truncates to its own high watermark when it takes up a partition (the rule before KIP-101)',
    file: 'src/broker/server/replica-fetcher-thread.ts',
    find: "    if (this.settings.truncation === 'high-watermark') {",
    replace: '    if (this.settings.truncation !== undefined) {',
  },
  {
    id: 'fsync-every-append',
    demo: 'power-loss',
    breaks: 'the log fsyncs every append before it is acknowledged (an acknowledgement would then be an fsync)',
    file: LOG_SEGMENT,
    find: 'writeSync(this.fd, records, 0, records.length);',
    replace: 'writeSync(this.fd, records, 0, records.length);\n    fsyncSync(this.fd);',
  },
  {
    id: 'flush-messages-ignored',
    demo: 'power-loss',
    breaks: 'flush.messages is never acted on (a topic asking for an fsync per append gets none)',
    file: UNIFIED_LOG,
    find: 'if (this.unflushedMessages >= BigInt(this.config.flushIntervalMessages))',
    replace: 'if (false)',
  },
  {
    id: 'majority-of-one',
    demo: 'kraft-quorum',
    breaks: 'a KRaft voter counts itself a majority: it elects itself and commits metadata alone',
    file: 'src/broker/raft/kafka-raft-client.ts',
    find: '    return Math.floor(this.voters.length / 2) + 1;',
    replace: '    return 1;',
  },
];
