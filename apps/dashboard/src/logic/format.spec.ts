import { formatBytes, formatCount, lagTrend, timeLabels } from './format';

describe('formatting', () => {
  it('shows a time in the given zone and in UTC', () => {
    const { local, utc } = timeLabels('2026-12-03T10:15:30.123Z', 'Africa/Casablanca');
    expect(utc).toBe('2026-12-03 10:15:30 UTC');
    expect(local).toMatch(/11:15:30/);
  });

  it('shows bytes in the largest unit below 1,024', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536)).toBe('1.5 KB');
    expect(formatBytes(5 * 1024 * 1024)).toBe('5.0 MB');
  });

  it('groups thousands', () => {
    expect(formatCount(1234567)).toBe('1,234,567');
  });

  it('says where a lag is heading', () => {
    expect(lagTrend([{ lag: 5 }, { lag: 50 }])).toBe('rising');
    expect(lagTrend([{ lag: 50 }, { lag: 0 }])).toBe('falling');
    expect(lagTrend([{ lag: 3 }])).toBe('steady');
  });
});
