import { RowChange, TextRow } from './row-change';
import { TransactionCoalescer } from './transaction-coalescer';

const columns = ['id', 'name', 'state', 'amount_total', 'note'].map((name) => ({
  name,
  typeOid: name === 'id' ? 23 : 25,
  typeMod: -1,
}));
const row = (values: TextRow): TextRow => ({
  id: '1',
  name: 'S00001',
  state: 'draft',
  amount_total: '0',
  note: null,
  ...values,
});
const change = (kind: RowChange['kind'], old: TextRow | null, next: TextRow | null): RowChange => ({
  kind,
  table: 'sale_order',
  columns,
  old,
  new: next,
});

function coalesce(...changes: RowChange[]) {
  const coalescer = new TransactionCoalescer();
  changes.forEach((c) => coalescer.add(c));
  return coalescer.changes();
}

describe('TransactionCoalescer', () => {
  it('folds an INSERT and the writes of computed fields that follow into one create', () => {
    const [only, ...rest] = coalesce(
      change('insert', null, row({})),
      change('update', row({}), row({ amount_total: '120.00' })),
      change(
        'update',
        row({ amount_total: '120.00' }),
        row({ amount_total: '120.00', state: 'sent' }),
      ),
    );
    expect(rest).toEqual([]);
    expect(only).toMatchObject({
      op: 'create',
      recordId: 1,
      before: null,
      after: row({ amount_total: '120.00', state: 'sent' }),
    });
    expect(only.changedFields).toEqual(['id', 'name', 'state', 'amount_total', 'note']);
  });

  it('keeps the first before image, the last after image and the union of changed fields', () => {
    const [only] = coalesce(
      change('update', row({}), row({ state: 'sale' })),
      change('update', row({ state: 'sale' }), row({ state: 'sale', amount_total: '99.50' })),
    );
    expect(only).toMatchObject({
      op: 'write',
      before: row({}),
      after: row({ state: 'sale', amount_total: '99.50' }),
    });
    expect(only.changedFields).toEqual(['state', 'amount_total']);
  });

  it('emits a write with no changed fields for an UPDATE that changed nothing', () => {
    const [only] = coalesce(change('update', row({}), row({})));
    expect(only).toMatchObject({ op: 'write', changedFields: [] });
  });

  it('leaves nothing for a record created and deleted in the same transaction', () => {
    expect(coalesce(change('insert', null, row({})), change('delete', row({}), null))).toEqual([]);
  });

  it('turns writes then a delete into one unlink carrying the image before the transaction', () => {
    const [only] = coalesce(
      change('update', row({}), row({ state: 'cancel' })),
      change('delete', row({ state: 'cancel' }), null),
    );
    expect(only).toMatchObject({ op: 'unlink', before: row({}), after: null, changedFields: [] });
  });

  it('takes an unchanged TOASTed value from the image before, never as null', () => {
    const long = 'x'.repeat(10_000);
    // Without REPLICA IDENTITY FULL pgoutput sends no old row and leaves the TOASTed value out.
    const [created] = coalesce(
      change('insert', null, row({ note: long })),
      change('update', null, row({ state: 'sent', note: undefined })),
    );
    expect(created.after?.note).toBe(long);
  });

  it('counts every column as changed when no before image is known (no REPLICA IDENTITY FULL)', () => {
    const [only] = coalesce(change('update', { id: '1' }, row({ state: 'sale' })));
    expect(only.op).toBe('write');
    expect(only.before).toEqual({ id: '1' });
    expect(only.changedFields).toEqual(['id', 'name', 'state', 'amount_total', 'note']);
  });

  it('keeps records apart and in first-touch order', () => {
    const other = (values: TextRow) => row({ id: '2', name: 'S00002', ...values });
    const changes = coalesce(
      change('update', other({}), other({ state: 'sale' })),
      change('update', row({}), row({ state: 'sale' })),
      change('update', other({ state: 'sale' }), other({ state: 'done' })),
    );
    expect(changes.map((c) => [c.recordId, c.after?.state])).toEqual([
      [2, 'done'],
      [1, 'sale'],
    ]);
  });

  it('refuses a change without an id', () => {
    expect(() => coalesce(change('delete', { name: 'x' }, null))).toThrow(
      'a delete on sale_order carries no id',
    );
  });
});
