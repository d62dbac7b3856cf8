import { DEFAULT_MODEL_PRIORITIES } from '@odoo-stream/config';
import { ChangeEvent } from '@odoo-stream/events';
import { feedRow } from './feed-row';

const config = {
  priorities: DEFAULT_MODEL_PRIORITIES,
  categories: { 'crm.lead': 'crm' },
  categoriesByArea: false,
  includeSnapshot: false,
};
const from = { topic: 'odoo.prod.sale.order', partition: 2, offset: '41' };
const toJson = (image: Record<string, unknown>) => ({ ...image, converted: true });

function event(patch: Partial<ChangeEvent>): ChangeEvent {
  return {
    event_id: 'e1',
    db: 'prod',
    model: 'sale.order',
    record_id: 7,
    op: 'write',
    ts_ms: Date.UTC(2026, 10, 22, 9, 30),
    captured_ms: 0,
    tx_id: 900,
    lsn: '0/1',
    uid: 2,
    changed_fields: ['state'],
    before: { id: 7, state: 'draft' },
    after: { id: 7, state: 'sale' },
    ...patch,
  };
}

describe('feedRow', () => {
  it('carries the values after a write, its changed fields, user and Kafka coordinates', () => {
    expect(feedRow(event({}), toJson, config, from)).toEqual({
      event_id: 'e1',
      model: 'sale.order',
      record_id: 7,
      event: 'write',
      payload: { id: 7, state: 'sale', converted: true },
      changed_fields: ['state'],
      timestamp: '2026-11-22T09:30:00.000Z',
      user_id: 2,
      priority: 'high',
      category: 'business',
      kafka_topic: 'odoo.prod.sale.order',
      kafka_partition: 2,
      kafka_offset: '41',
    });
  });

  it('carries the last values of an unlinked record', () => {
    const row = feedRow(event({ op: 'unlink', after: null }), toJson, config, from);
    expect(row).toMatchObject({ event: 'unlink', payload: { id: 7, state: 'draft' } });
  });

  it("gives models without a setting medium priority and the add-on's category, business", () => {
    const row = feedRow(event({ model: 'mrp.production' }), toJson, config, from);
    expect(row).toMatchObject({ priority: 'medium', category: 'business' });
    const byArea = feedRow(
      event({ model: 'mrp.production' }),
      toJson,
      { ...config, categoriesByArea: true },
      from,
    );
    expect(byArea?.category).toBe('mrp');
    expect(feedRow(event({ model: 'crm.lead' }), toJson, config, from)?.category).toBe('crm');
  });

  it('leaves snapshot reads out unless asked, then shows them as creates', () => {
    expect(feedRow(event({ op: 'read' }), toJson, config, from)).toBeNull();
    const row = feedRow(event({ op: 'read' }), toJson, { ...config, includeSnapshot: true }, from);
    expect(row?.event).toBe('create');
  });
});
