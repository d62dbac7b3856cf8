/** One indexed event as the change rate counts it. */
export interface IndexedChange {
  model: string;
  /** Commit time, ms since the epoch. */
  timestampMs: number;
}

export interface MinuteCount {
  model: string;
  /** The minute's start, ISO 8601 UTC. */
  minute: string;
  changes: number;
}

/** Changes per model and minute of commit time: what the overview's chart draws. */
export function minuteCounts(changes: IndexedChange[]): MinuteCount[] {
  const counts = new Map<string, MinuteCount>();
  for (const { model, timestampMs } of changes) {
    const minute = new Date(Math.floor(timestampMs / 60_000) * 60_000).toISOString();
    const key = `${minute} ${model}`;
    const entry = counts.get(key);
    if (entry) entry.changes += 1;
    else counts.set(key, { model, minute, changes: 1 });
  }
  return [...counts.values()];
}
