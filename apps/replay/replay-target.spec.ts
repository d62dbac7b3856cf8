import {
  describeTarget,
  newOffset,
  parseIsoDuration,
  parseReplayTarget,
  plannedCounts,
  ReplayRefused,
} from './replay-target';

const partition = { topic: 't', partition: 0, committed: 50n, low: 10n, high: 100n };

describe('replay targets', () => {
  const now = Date.parse('2026-12-02T12:00:00Z');

  it("takes Kafka's reset options, exactly one of them", () => {
    expect(parseReplayTarget({ toEarliest: true })).toEqual({ kind: 'earliest' });
    expect(parseReplayTarget({ toDatetime: '2026-12-01T09:40:00Z' }, now)).toEqual({
      kind: 'datetime',
      ms: Date.parse('2026-12-01T09:40:00Z'),
    });
    expect(parseReplayTarget({ byDuration: 'PT30M' }, now)).toMatchObject({ ms: 1_800_000 });
    expect(parseReplayTarget({ toOffset: 'odoo.prod.sale.order:2:17' })).toEqual({
      kind: 'offset',
      topic: 'odoo.prod.sale.order',
      partition: 2,
      offset: 17n,
    });
    expect(parseReplayTarget({ shiftBy: '-5' })).toEqual({ kind: 'shift', by: -5n });
    expect(() => parseReplayTarget({})).toThrow(/give exactly one of/);
    expect(() => parseReplayTarget({ toEarliest: true, toLatest: true })).toThrow(ReplayRefused);
  });

  it('refuses a time in the future, and what is not a time, a duration, an offset or a number', () => {
    expect(() => parseReplayTarget({ toDatetime: '2026-12-03T00:00:00Z' }, now)).toThrow(
      '--to-datetime 2026-12-03T00:00:00Z is in the future',
    );
    expect(() => parseReplayTarget({ toDatetime: 'yesterday' }, now)).toThrow(/not an ISO 8601/);
    expect(() => parseReplayTarget({ toOffset: 'topic:1' })).toThrow(
      /<topic>:<partition>:<offset>/,
    );
    expect(() => parseReplayTarget({ shiftBy: 'ten' })).toThrow(/not a whole number/);
    expect(() => parseIsoDuration('90 minutes')).toThrow(/not an ISO 8601 duration/);
    expect(() => parseIsoDuration('PT')).toThrow(ReplayRefused);
    expect(() => parseIsoDuration('PT0S')).toThrow(/is zero/);
  });

  it('reads ISO 8601 durations as Kafka does', () => {
    expect(parseIsoDuration('P1DT2H3M4S')).toBe(((26 * 60 + 3) * 60 + 4) * 1000);
    expect(parseIsoDuration('P1W')).toBe(7 * 86_400_000);
    expect(parseIsoDuration('PT1.5S')).toBe(1500);
  });

  it('computes new offsets, clamped to what the partition holds', () => {
    expect(newOffset({ kind: 'earliest' }, partition)).toBe(10n);
    expect(newOffset({ kind: 'latest' }, partition)).toBe(100n);
    expect(newOffset({ kind: 'datetime', ms: 0 }, { ...partition, atTime: 42n })).toBe(42n);
    // No event at or after the time: the end.
    expect(newOffset({ kind: 'datetime', ms: 0 }, { ...partition, atTime: null })).toBe(100n);
    expect(newOffset({ kind: 'shift', by: -45n }, partition)).toBe(10n);
    expect(newOffset({ kind: 'shift', by: 70n }, partition)).toBe(100n);
    expect(newOffset({ kind: 'shift', by: -5n }, { ...partition, committed: null })).toBe(10n);
    const offset = { kind: 'offset', topic: 't', partition: 0, offset: 20n } as const;
    expect(newOffset(offset, partition)).toBe(20n);
    expect(newOffset(offset, { ...partition, partition: 1 })).toBeNull();
    expect(() => newOffset({ ...offset, offset: 101n }, partition)).toThrow(
      'offset 101 of t:0 is out of range: the partition holds 10 to 100',
    );
  });

  it('counts the events processed again and those passed over', () => {
    expect(plannedCounts({ topic: 't', partition: 0, current: 50n, next: 20n, end: 99n })).toEqual({
      again: 30n,
      skipped: 0n,
    });
    expect(plannedCounts({ topic: 't', partition: 0, current: 50n, next: 99n, end: 99n })).toEqual({
      again: 0n,
      skipped: 49n,
    });
    expect(describeTarget({ kind: 'shift', by: -3n })).toBe('shift-by -3');
  });
});
