/** Kafka's "unknown" log end offset for a follower that has not fetched since this leader epoch began. */
export const UNKNOWN_OFFSET = -1n;

/**
 * What a partition leader knows about one follower replica (Kafka's `Replica` / `ReplicaState`): its log end
 * offset (= the offset of its last fetch), when it was last caught up, and the leader's LEO at its previous fetch.
 *
 * "Caught up" is Kafka's definition: the follower's fetch asked for the leader's LEO at that time (it had
 * everything), or it reached, by this fetch, what the leader had at its previous fetch. A follower that keeps
 * fetching but never reaches the moving end is therefore not caught up, and leaves the ISR after
 * `replica.lag.time.max.ms`, exactly like a follower that stopped fetching.
 *
 * Owned by one leader Partition; mutated only by `Partition.updateFollowerFetchState`.
 */
export class ReplicaState {
  private _logEndOffset = UNKNOWN_OFFSET;
  private _lastFetchLeaderLogEndOffset = UNKNOWN_OFFSET;
  private _lastFetchTimeMs = 0;

  constructor(
    readonly brokerId: number,
    private _lastCaughtUpTimeMs: number,
  ) {}

  get logEndOffset(): bigint {
    return this._logEndOffset;
  }
  get lastCaughtUpTimeMs(): number {
    return this._lastCaughtUpTimeMs;
  }
  get lastFetchTimeMs(): number {
    return this._lastFetchTimeMs;
  }

  updateFetchState(fetchOffset: bigint, leaderEndOffset: bigint, fetchTimeMs: number): void {
    if (fetchOffset >= leaderEndOffset) this._lastCaughtUpTimeMs = Math.max(this._lastCaughtUpTimeMs, fetchTimeMs);
    else if (fetchOffset >= this._lastFetchLeaderLogEndOffset)
      this._lastCaughtUpTimeMs = Math.max(this._lastCaughtUpTimeMs, this._lastFetchTimeMs);
    this._logEndOffset = fetchOffset;
    this._lastFetchLeaderLogEndOffset = leaderEndOffset;
    this._lastFetchTimeMs = fetchTimeMs;
  }

  /** In sync with the leader: has its LEO, or was caught up within `replicaLagTimeMaxMs`. */
  isCaughtUp(leaderEndOffset: bigint, nowMs: number, replicaLagTimeMaxMs: number): boolean {
    return leaderEndOffset === this._logEndOffset || nowMs - this._lastCaughtUpTimeMs <= replicaLagTimeMaxMs;
  }
}
