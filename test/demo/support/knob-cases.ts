/** A demo, the knobs to turn (`--set`), and what its transcript must then contain. */
export type KnobCase = readonly [demo: string, set: string[], expectInTranscript: RegExp];

// For every demo, one knob turned away from its default, and what must then be seen: the checks' expectations
// follow the knobs (never constants), so the run says something different — and still holds.
export const KNOB_CASES_ON_KQ: readonly KnobCase[] = [
  ['sequential-io', ['flush.messages=7'], /HELD flush\.messages=7.*expected 10 fsync calls/],
  [
    'log-anatomy',
    ['segment.bytes=1310720', 'index.interval.bytes=2048'],
    /HELD the log rolls .*segment\.bytes=1310720 \| expected 2 segments/,
  ],
  ['compression-passthrough', ['codec=none'], /HELD the served batch header's codec is still none/],
  [
    'offset-commit',
    ['processed.before.crash=1'],
    /HELD crash before commit → exactly 1 records processed twice .*expected duplicates 5;/,
  ],
  ['reactor-pipeline', ['queued.max.requests=100'], /HELD the queue \(100\) plus the handlers hold the whole burst/],
  ['auto-offset-reset', ['log.start.offset=100'], /HELD committed 120 \+ latest: resumes at its commit 120/],
  [
    'coordinator-lookup',
    ['offsets.topic.num.partitions=13'],
    /HELD that broker's __consumer_offsets has 13 partitions/,
  ],
  ['delayed-delivery', ['delay.ms=300'], /delay-300ms: 0,1,2; delay-600ms: 0,1,2/],
  ['kraft-metadata', ['partitions=5'], /HELD .* \| expected 5 partitions, all led by listed brokers/],
  ['pull-long-poll', ['fetch.max.wait.ms=300'], /max_wait_ms=300/],
  ['retention-replay', ['retention.bytes=1572864'], /retention\.bytes=1572864/],
  ['throughput-measure', ['messages=20000'], /build 20 batches of 1000 messages/],
  ['zero-copy-serve', ['batches.before=0'], /produce 0 batches first/],
  [
    'partition-ordering',
    ['enable.idempotence=true', 'partitions.after=9'],
    /HELD enable\.idempotence=true: after the retry the log order still equals the send order/,
  ],
  ['producer-batching', ['linger.ms=50'], /HELD linger\.ms=50 makes at most 1\/3 as many batches as linger\.ms=0/],
  [
    'consumer-group-rebalance',
    ['session.timeout.ms=2500'],
    /HELD the silent member was removed after session\.timeout\.ms \(2500 ms\)/,
  ],
  [
    'consumer-lag',
    ['records.while.stopped=40'],
    /HELD each partition lags by .*\(0 \/ 40 \/ 5\) \| expected p0: 0; p1: 40; p2: 5/,
  ],
  [
    'consumer-scale-out',
    ['members.beyond.partitions=3'],
    /HELD with 7 members exactly 3 get no partition .*expected 3 idle/,
  ],
  [
    'dedupe-consumer',
    ['processed.before.crash=8'],
    /HELD no dedupe: the 5 records A processed .* \| expected 6 \| got 6/,
  ],
  [
    'idempotent-producer',
    ['max.in.flight.requests.per.connection=5'],
    /HELD all 5 in-flight batches are within the broker's window of 5.*expected NONE ×5/,
  ],
  ['partition-cost', ['partitions=16'], /HELD each partition is its own directory .* \| expected 16 directories/],
  ['request-handler-idle', ['long.polls=20'], /HELD 20 parked long polls hold no handler.* \| expected 20 parked/],
  ['retry-dlq', ['max.attempts=4'], /HELD the poison was tried exactly 4 times, at least 100 \/ 200 \/ 400 ms apart/],
  // cluster demos (a 3-node KRaft cluster of kq's)
  [
    'acks-durability',
    ['records.while.frozen=30'],
    /HELD acks=1: all 30 records .* \| expected 30 acknowledged, 30 lost/,
  ],
  [
    'power-loss',
    ['records.per.round=10'],
    /HELD every broker SIGKILLed at once.* \| expected 10 acknowledged and 0 lost per setting/,
  ],
  // cluster demos kq does not prove yet (kq-cluster-gaps.ts): the checks the knob steers hold on kq all the same
  [
    'replication-isr',
    ['min.insync.replicas=2'],
    /HELD with the ISR \(2\) not below min\.insync\.replicas=2 an acks=all write is acknowledged: NONE(.|\n)*HELD once the ISR recovers all three are readable: s1, s2, s3/,
  ],
  ['kraft-quorum', ['acks=1'], /HELD self-healing is gone: .* yet an acks=1 write .* \| expected .*; acks=1 NONE/],
];

/**
 * Cluster demos whose knob runs on Apache Kafka only (cluster-demos-on-kafka.test.ts), because on kq's cluster the
 * demo stops before the check its knob steers (see kq-cluster-gaps.ts).
 */
export const KNOB_CASES_ON_KAFKA: readonly KnobCase[] = [
  [
    'leader-election',
    ['records.while.out=20'],
    /HELD .*the lagging \d is elected .* \| expected leader \d; it serves the 10 earlier records and none of the 20(.|\n)*HELD .* serving all 30 records/,
  ],
  [
    'leader-epoch-truncation',
    ['records.before.crash=150'],
    /HELD the follower's high watermark on disk .* \| expected at least 150 records in its log/,
  ],
];
