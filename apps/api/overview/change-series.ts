export interface MinuteChanges {
  model: string;
  /** The minute's start. */
  minute: Date;
  changes: number;
}

export interface ChangeSeries {
  /** The start of each minute, oldest first (ISO 8601 UTC). */
  minutes: string[];
  /** Per model, its changes per second averaged over each minute; busiest model first. */
  models: Array<{ model: string; per_second: number[] }>;
}

/** The overview's chart: the last `span` whole minutes up to `now`, minutes without changes at 0. */
export function changeSeries(rows: MinuteChanges[], now: Date, span = 60): ChangeSeries {
  const last = Math.floor(now.getTime() / 60_000) * 60_000;
  const first = last - (span - 1) * 60_000;
  const minutes = Array.from({ length: span }, (_, i) =>
    new Date(first + i * 60_000).toISOString(),
  );
  const byModel = new Map<string, number[]>();
  for (const { model, minute, changes } of rows) {
    const slot = (minute.getTime() - first) / 60_000;
    if (slot < 0 || slot >= span || !Number.isInteger(slot)) continue;
    if (!byModel.has(model)) byModel.set(model, new Array<number>(span).fill(0));
    byModel.get(model)![slot] += changes / 60;
  }
  const total = (values: number[]) => values.reduce((a, b) => a + b, 0);
  return {
    minutes,
    models: [...byModel]
      .map(([model, values]) => ({
        model,
        per_second: values.map((v) => Math.round(v * 100) / 100),
      }))
      .sort((a, b) => total(b.per_second) - total(a.per_second) || a.model.localeCompare(b.model)),
  };
}
