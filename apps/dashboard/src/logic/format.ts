/** A time in the browser's zone (what the page shows) and in UTC (its title on hover). */
export function timeLabels(iso: string, timeZone?: string): { local: string; utc: string } {
  const date = new Date(iso);
  const local = new Intl.DateTimeFormat(undefined, {
    dateStyle: 'medium',
    timeStyle: 'medium',
    timeZone,
  }).format(date);
  return {
    local,
    utc: `${date
      .toISOString()
      .replace('T', ' ')
      .replace(/\.\d+Z$/, '')} UTC`,
  };
}

export function formatBytes(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
}

export function formatCount(n: number): string {
  return new Intl.NumberFormat('en').format(n);
}

/** Where a lag is heading over its recent samples: up, down or flat. */
export function lagTrend(points: Array<{ lag: number }>): 'rising' | 'falling' | 'steady' {
  if (points.length < 2) return 'steady';
  const first = points[0].lag;
  const last = points[points.length - 1].lag;
  if (last > first) return 'rising';
  if (last < first) return 'falling';
  return 'steady';
}
