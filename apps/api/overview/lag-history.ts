export interface LagPoint {
  /** ms since the epoch */
  at: number;
  lag: number;
}

/**
 * Each consumer's recent lag, so the overview can show where it is heading: a sample at most
 * every `spacingMs`, kept for `windowMs`. Held by the api process (it starts empty).
 */
export class LagHistory {
  private readonly points = new Map<string, LagPoint[]>();
  private lastAt = -Infinity;

  constructor(
    private readonly windowMs = 3_600_000,
    private readonly spacingMs = 10_000,
  ) {}

  record(at: number, lags: Array<{ name: string; lag: number }>): void {
    if (at - this.lastAt < this.spacingMs) return;
    this.lastAt = at;
    for (const { name, lag } of lags) {
      const series = this.points.get(name) ?? [];
      series.push({ at, lag });
      while (series.length > 0 && series[0].at < at - this.windowMs) series.shift();
      this.points.set(name, series);
    }
    const seen = new Set(lags.map((l) => l.name));
    for (const name of [...this.points.keys()]) if (!seen.has(name)) this.points.delete(name);
  }

  trend(name: string): LagPoint[] {
    return this.points.get(name) ?? [];
  }
}
