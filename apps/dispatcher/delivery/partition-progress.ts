/**
 * Which offsets of one partition are still being delivered (or waiting for a retry). Kafka keeps
 * one committed offset per partition, so it may only move to the first offset not yet settled:
 * after a crash, everything from there is delivered again (with the same webhook-id).
 */
export class PartitionProgress {
  private readonly open = new Set<bigint>();
  private highest = -1n;

  track(offset: string): void {
    const o = BigInt(offset);
    this.open.add(o);
    if (o > this.highest) this.highest = o;
  }

  settle(offset: string): void {
    this.open.delete(BigInt(offset));
  }

  get pending(): number {
    return this.open.size;
  }

  /** The offset to commit (the next one to read after a restart), or null when nothing was read. */
  commitOffset(): string | null {
    if (this.highest < 0n) return null;
    let lowest = this.highest + 1n;
    for (const o of this.open) if (o < lowest) lowest = o;
    return lowest.toString();
  }
}
