import { existsSync, readdirSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RowChange, TextRow } from './row-change';
import { TransactionCoalescer } from './transaction-coalescer';
import { TransactionRowStore } from './transaction-row-store';

describe('TransactionRowStore', () => {
  it('keeps the first rows in memory and spills the rest to a file it deletes on close', () => {
    const dir = mkdtempSync(join(tmpdir(), 'row-store-test-'));
    const store = new TransactionRowStore(1, dir);
    const first = store.put({ id: '1', name: 'kept' });
    const second = store.put({ id: '2', name: 'spilled', comment: undefined, note: null });
    expect('row' in first).toBe(true);
    expect(store.spilled).toBe(true);
    expect(store.get(second)).toEqual({ id: '2', name: 'spilled', comment: undefined, note: null });
    // An untouched TOAST value stays "not sent" (a key holding undefined), not "absent" nor null.
    expect('comment' in store.get(second)).toBe(true);
    expect(readdirSync(dir)).toHaveLength(1);
    store.close();
    expect(readdirSync(dir)).toHaveLength(0);
    expect(existsSync(dir)).toBe(true);
  });

  it('gives the coalescer the same result spilled as in memory', () => {
    const columns = ['id', 'name', 'state', 'note'].map((name) => ({
      name,
      typeOid: 25,
      typeMod: -1,
    }));
    const row = (id: number, values: TextRow): TextRow => ({
      id: String(id),
      name: `S${id}`,
      state: 'draft',
      note: 'x'.repeat(100),
      ...values,
    });
    const changes: RowChange[] = [];
    for (let id = 1; id <= 50; id++) {
      changes.push({ kind: 'insert', table: 'sale_order', columns, old: null, new: row(id, {}) });
      changes.push({
        kind: 'update',
        table: 'sale_order',
        columns,
        old: row(id, {}),
        new: row(id, { state: 'sent', note: undefined }),
      });
      if (id % 3 === 0)
        changes.push({
          kind: 'delete',
          table: 'sale_order',
          columns,
          old: row(id, { state: 'sent' }),
          new: null,
        });
    }
    for (let id = 100; id <= 120; id++) {
      changes.push({
        kind: 'update',
        table: 'sale_order',
        columns,
        old: row(id, {}),
        new: row(id, { state: 'sale' }),
      });
      changes.push({
        kind: 'update',
        table: 'sale_order',
        columns,
        old: row(id, { state: 'sale' }),
        new: row(id, { state: 'done', note: undefined }),
      });
    }
    const inMemory = new TransactionCoalescer();
    const store = new TransactionRowStore(5);
    const spilled = new TransactionCoalescer(store);
    for (const change of changes) {
      inMemory.add(change);
      spilled.add(change);
    }
    expect(store.spilled).toBe(true);
    expect(spilled.changes()).toEqual(inMemory.changes());
    expect(inMemory.changes().find((c) => c.recordId === 110)).toMatchObject({
      op: 'write',
      after: row(110, { state: 'done' }),
      changedFields: ['state'],
    });
    store.close();
  });
});
