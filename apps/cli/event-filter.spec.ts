import { ChangeEvent } from '@odoo-stream/events';
import { EventsUsageError, keeps, modelTopicFor, parseEventFilter } from './event-filter';

const event = (patch: Partial<ChangeEvent>) =>
  ({ record_id: 7, op: 'write', ts_ms: Date.UTC(2026, 11, 2, 10), ...patch }) as ChangeEvent;

describe('odoo-stream events: options and filter', () => {
  const now = Date.UTC(2026, 11, 2, 12);

  it('keeps one record, some operations, from a time on', () => {
    const filter = parseEventFilter(
      { record: '7', op: 'create,write', since: '2026-12-02T09:00:00Z', limit: '5' },
      now,
    );
    expect(filter).toEqual({
      recordId: 7,
      ops: ['create', 'write'],
      sinceMs: Date.UTC(2026, 11, 2, 9),
      limit: 5,
    });
    expect(keeps(filter, event({}))).toBe(true);
    expect(keeps(filter, event({ record_id: 8 }))).toBe(false);
    expect(keeps(filter, event({ op: 'unlink' }))).toBe(false);
    expect(keeps(filter, event({ ts_ms: Date.UTC(2026, 11, 2, 8) }))).toBe(false);
  });

  it('says what is wrong with an option', () => {
    expect(() => parseEventFilter({ record: 'x' })).toThrow(
      "--record must be a record id (a positive integer), not 'x'",
    );
    expect(() => parseEventFilter({ op: 'delete' })).toThrow(
      "--op takes create, write, unlink, read (comma-separated), not 'delete'",
    );
    expect(() => parseEventFilter({ since: 'yesterday' })).toThrow(EventsUsageError);
    expect(() => parseEventFilter({ since: '2027-01-01T00:00:00Z' }, now)).toThrow(
      'is in the future',
    );
    expect(() => parseEventFilter({ limit: '0' })).toThrow('--limit must be a positive integer');
  });

  it("finds the model's topic, asking for --db when several databases have one", () => {
    const topics = ['odoo.prod.sale.order', 'odoo.stream.feed-acks', 'odoo.prod.res.partner'];
    expect(modelTopicFor('odoo', 'sale.order', undefined, topics)).toBe('odoo.prod.sale.order');
    expect(() => modelTopicFor('odoo', 'crm.lead', undefined, topics)).toThrow(
      "no topic for model 'crm.lead'",
    );
    const two = [...topics, 'odoo.test.sale.order'];
    expect(() => modelTopicFor('odoo', 'sale.order', undefined, two)).toThrow('name one with --db');
    expect(modelTopicFor('odoo', 'sale.order', 'test', two)).toBe('odoo.test.sale.order');
  });
});
