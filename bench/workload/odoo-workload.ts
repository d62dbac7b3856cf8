import { Client } from 'pg';

/** The models the workload writes, as TRACKED_MODELS. */
export const WORKLOAD_MODELS = ['res.partner', 'sale.order', 'sale.order.line', 'account.move'];

export interface WorkloadCounts {
  iterations: number;
  transactions: number;
  /** INSERT, UPDATE and DELETE row changes PostgreSQL writes to the WAL. */
  rowChanges: number;
  /** One per transaction and record: what a capture that coalesces produces. */
  events: number;
}

/** Order lines in iteration i: 2 to 4, as Odoo's sale orders in the recorded traffic. */
const linesOf = (i: number) => 2 + (i % 3);
/** Every tenth iteration deletes one order line in a transaction of its own. */
const deletes = (i: number) => i % 10 === 0;

/** What iteration i writes. */
function iterationCounts(i: number): Omit<WorkloadCounts, 'iterations'> {
  const lines = linesOf(i);
  // partner: INSERT + UPDATE; order: INSERT, lines, UPDATE totals, UPDATE state; invoice:
  // INSERT + UPDATE (posted).
  return {
    transactions: 3 + (deletes(i) ? 1 : 0),
    rowChanges: 2 + (1 + lines + 2) + 2 + (deletes(i) ? 1 : 0),
    events: 1 + (1 + lines) + 1 + (deletes(i) ? 1 : 0),
  };
}

/** What `iterations` iterations write, counted exactly from the workload's shape. */
export function workloadCounts(iterations: number): WorkloadCounts {
  const counts = { iterations, transactions: 0, rowChanges: 0, events: 0 };
  for (let i = 1; i <= iterations; i++) {
    const one = iterationCounts(i);
    counts.transactions += one.transactions;
    counts.rowChanges += one.rowChanges;
    counts.events += one.events;
  }
  return counts;
}

/** Iterations that write at least `atLeast` row changes (or events). */
export function iterationsFor(atLeast: number, of: 'rowChanges' | 'events' = 'rowChanges'): number {
  let iterations = 0;
  for (let total = 0; total < atLeast;) total += iterationCounts(++iterations)[of];
  return iterations;
}

/**
 * Odoo-shaped writes on the restored Odoo 17 database, as the ORM issues them: a customer
 * inserted then updated in one transaction; a sale order with 2-4 lines, then its totals and its
 * state; an invoice inserted then posted; now and then an order line deleted. `tag` keeps the
 * names of separate runs apart (the posted invoice names are unique per journal).
 */
export async function writeWorkload(odoo: Client, iterations: number, tag: string): Promise<void> {
  // The WAL is the same either way; not waiting for each commit's flush makes the writing quicker.
  await odoo.query('SET synchronous_commit = off');
  for (let first = 1; first <= iterations; first += CHUNK) {
    await writeIterations(odoo, first, Math.min(iterations, first + CHUNK - 1), tag);
    // The tables grow by hundreds of thousands of rows: without fresh statistics (a long DO
    // block reports none, so autovacuum never analyzes) the foreign-key checks keep the plans
    // made for the dump's few rows, sequential scans that make each iteration slower.
    if (iterations > CHUNK) {
      await odoo.query(`ANALYZE ${WORKLOAD_TABLES.join(', ')}`);
      await odoo.query('DISCARD PLANS');
    }
  }
}

/** Iterations per DO block. */
const CHUNK = 5000;
const WORKLOAD_TABLES = WORKLOAD_MODELS.map((m) => m.replace(/\./g, '_'));

async function writeIterations(odoo: Client, first: number, last: number, tag: string) {
  await odoo.query(`
    DO $$ DECLARE partner int; sale int; move int; line int; BEGIN
      FOR i IN ${first}..${last} LOOP
        INSERT INTO res_partner (name, complete_name, type, active, is_company, company_id, lang,
            customer_rank, supplier_rank, create_uid, write_uid, create_date, write_date)
          VALUES ('Bench customer ${tag}-' || i, 'Bench customer ${tag}-' || i, 'contact', true,
            false, 1, 'en_US', 0, 0, 2, 2, now() at time zone 'UTC', now() at time zone 'UTC')
          RETURNING id INTO partner;
        UPDATE res_partner SET email = 'bench' || i || '@example.com', phone = '+1 555 ' || i,
            customer_rank = 1, write_date = now() at time zone 'UTC'
          WHERE id = partner;
        COMMIT;

        INSERT INTO sale_order (name, company_id, date_order, partner_id, partner_invoice_id,
            partner_shipping_id, picking_policy, warehouse_id, state, currency_id, user_id,
            team_id, locked, require_signature, require_payment, create_uid, write_uid,
            create_date, write_date)
          VALUES ('B${tag}/' || i, 1, now() at time zone 'UTC', partner, partner, partner,
            'direct', 1, 'draft', 1, 2, 1, false, true, true, 2, 2, now() at time zone 'UTC',
            now() at time zone 'UTC')
          RETURNING id INTO sale;
        FOR j IN 1..(2 + i % 3) LOOP
          INSERT INTO sale_order_line (order_id, name, sequence, customer_lead, price_unit,
              product_uom_qty, product_id, product_uom, company_id, currency_id,
              order_partner_id, salesman_id, state, discount, price_subtotal, price_tax,
              price_total, qty_delivered_method, create_uid, write_uid, create_date, write_date)
            VALUES (sale, '[E-COM11] Cabinet with Doors', 10 * j, 0, 140.00, j, 21, 1, 1, 1,
              partner, 2, 'draft', 0, 140.00 * j, 21.00 * j, 161.00 * j, 'stock_move', 2, 2,
              now() at time zone 'UTC', now() at time zone 'UTC')
            RETURNING id INTO line;
        END LOOP;
        UPDATE sale_order SET amount_untaxed = 140.00 * (2 + i % 3), amount_tax = 21.00 * (2 + i % 3),
            amount_total = 161.00 * (2 + i % 3), write_date = now() at time zone 'UTC'
          WHERE id = sale;
        UPDATE sale_order SET state = 'sale', write_date = now() at time zone 'UTC' WHERE id = sale;
        COMMIT;

        INSERT INTO account_move (name, move_type, state, journal_id, currency_id, date,
            auto_post, partner_id, commercial_partner_id, company_id, invoice_origin,
            amount_total, create_uid, write_uid, create_date, write_date)
          VALUES ('/', 'out_invoice', 'draft', 1, 1, current_date, 'no', partner, partner, 1,
            'B${tag}/' || i, 161.00 * (2 + i % 3), 2, 2, now() at time zone 'UTC',
            now() at time zone 'UTC')
          RETURNING id INTO move;
        UPDATE account_move SET state = 'posted', name = 'INV/${tag}/' || i,
            write_date = now() at time zone 'UTC'
          WHERE id = move;
        COMMIT;

        IF i % 10 = 0 THEN
          DELETE FROM sale_order_line WHERE id = line;
          COMMIT;
        END IF;
      END LOOP;
    END $$`);
}
