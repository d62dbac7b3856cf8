import { ChangeEventBuilder } from './change-event-builder';

const columns = [
  { name: 'id', typeOid: 23, typeMod: -1 },
  { name: 'name', typeOid: 1043, typeMod: -1 },
  { name: 'amount_total', typeOid: 1700, typeMod: -1 },
  { name: 'write_uid', typeOid: 23, typeMod: -1 },
  { name: 'write_date', typeOid: 1114, typeMod: -1 },
];
const builder = new ChangeEventBuilder(
  'prod',
  (table) => table.replace(/_/g, '.'),
  () => 1_800_000_000_123,
);
const tx = { lsn: '0/16B3748', txId: 771, committedMs: 1_800_000_000_000 };

describe('ChangeEventBuilder', () => {
  const change = {
    table: 'sale_order',
    recordId: 5,
    op: 'write' as const,
    columns,
    before: {
      id: '5',
      name: 'S00005',
      amount_total: '10.00',
      write_uid: '2',
      write_date: '2026-11-22 15:35:34.051418',
    },
    after: {
      id: '5',
      name: 'S00005',
      amount_total: '12.50',
      write_uid: '6',
      write_date: '2026-11-22 15:36:00',
    },
    changedFields: ['amount_total', 'write_uid', 'write_date'],
  };

  it('builds the envelope with typed values, the writing user and the commit position', () => {
    expect(builder.build(change, tx)).toEqual({
      event_id: expect.stringMatching(/^[0-9a-f]{32}$/),
      db: 'prod',
      model: 'sale.order',
      record_id: 5,
      op: 'write',
      ts_ms: 1_800_000_000_000,
      captured_ms: 1_800_000_000_123,
      tx_id: 771,
      lsn: '0/16B3748',
      uid: 6,
      changed_fields: ['amount_total', 'write_uid', 'write_date'],
      before: {
        id: 5,
        name: 'S00005',
        amount_total: '10.00',
        write_uid: 2,
        write_date: Date.UTC(2026, 10, 22, 15, 35, 34) * 1000 + 51418,
      },
      after: {
        id: 5,
        name: 'S00005',
        amount_total: '12.50',
        write_uid: 6,
        write_date: Date.UTC(2026, 10, 22, 15, 36, 0) * 1000,
      },
    });
  });

  it('gives the same change the same event id when it is read again, and another change another id', () => {
    const first = builder.build(change, tx).event_id;
    expect(builder.build(change, tx).event_id).toBe(first);
    expect(builder.build(change, { ...tx, lsn: '0/16B3800' }).event_id).not.toBe(first);
    expect(builder.build({ ...change, recordId: 6 }, tx).event_id).not.toBe(first);
  });

  it('marks snapshot rows as read, with no before image', () => {
    const event = builder.buildRead('res_partner', columns, change.after, { ...tx, txId: null });
    expect(event).toMatchObject({
      op: 'read',
      model: 'res.partner',
      record_id: 5,
      before: null,
      tx_id: null,
    });
    expect(event.after?.amount_total).toBe('12.50');
  });
});
