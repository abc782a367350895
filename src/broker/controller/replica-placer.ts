/**
 * Where the replicas of new partitions go (Kafka's `ReplicaPlacer`; kq has no racks, so the striped placer
 * reduces to round robin): partition p of a topic starts at broker index (start + p) and takes the next
 * `replicationFactor` brokers in id order. The first replica is the preferred leader, so leaders spread over the
 * brokers; `start` (the number of partitions the cluster already has) spreads them across topics too.
 * Deterministic, so tests and demos know where a partition lands.
 */
export function placeReplicas(
  usableBrokers: readonly number[],
  startPartition: number,
  count: number,
  replicationFactor: number,
  start: number,
): number[][] {
  const brokers = [...usableBrokers].sort((a, b) => a - b);
  const assignment: number[][] = [];
  for (let p = startPartition; p < startPartition + count; p++) {
    const first = (start + p) % brokers.length;
    const replicas: number[] = [];
    for (let r = 0; r < replicationFactor; r++) replicas.push(brokers[(first + r) % brokers.length] as number);
    assignment.push(replicas);
  }
  return assignment;
}
