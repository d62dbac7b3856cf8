import { Client } from 'pg';
import { Logger } from 'pino';

type Scenario = (db: Client, n: number) => Promise<void>;

const ADMIN = 2;
const now = "(now() at time zone 'UTC')";
const stamp = `create_uid, create_date, write_uid, write_date`;
const stampValues = `${ADMIN}, ${now}, ${ADMIN}, ${now}`;
const touch = `write_uid = ${ADMIN}, write_date = ${now}`;

/**
 * A few Odoo-shaped transactions a second against the demo database, so that a first `npm start`
 * shows events flowing: the ORM's INSERT-then-UPDATE of computed fields, confirmations touching
 * several tables, plain writes, and deletes of draft quotations.
 */
export class DemoOdooTraffic {
  private timer?: NodeJS.Timeout;
  private client?: Client;
  private count = 0;
  private busy = false;

  constructor(
    private readonly url: string,
    private readonly logger: Logger,
    private readonly intervalMs = 700,
  ) {}

  async start(): Promise<void> {
    this.client = new Client({ connectionString: this.url });
    await this.client.connect();
    this.timer = setInterval(() => void this.tick(), this.intervalMs);
    this.logger.info(
      { interval_ms: this.intervalMs },
      'demo traffic: writing Odoo-shaped changes to the demo database',
    );
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    while (this.busy) await new Promise((r) => setTimeout(r, 20));
    await this.client?.end().catch(() => undefined);
    this.client = undefined;
  }

  private async tick(): Promise<void> {
    if (this.busy || !this.client) return;
    this.busy = true;
    const n = ++this.count;
    const scenario = SCENARIOS[n % SCENARIOS.length];
    try {
      await this.client.query('BEGIN');
      await scenario(this.client, n);
      await this.client.query('COMMIT');
    } catch (error) {
      await this.client.query('ROLLBACK').catch(() => undefined);
      this.logger.warn({ err: error }, 'demo traffic: a transaction failed');
    } finally {
      this.busy = false;
    }
  }
}

async function createCustomer(db: Client, n: number): Promise<void> {
  const { rows } = await db.query<{ id: number }>(
    `INSERT INTO res_partner (name, email, active, is_company, type, customer_rank, supplier_rank, lang, ${stamp})
     VALUES ($1, $2, true, false, 'contact', 0, 0, 'en_US', ${stampValues}) RETURNING id`,
    [`Demo Customer ${n}`, `customer${n}@example.com`],
  );
  // Odoo bumps the rank with raw SQL afterwards, in the same transaction.
  await db.query('UPDATE res_partner SET customer_rank = customer_rank + 1 WHERE id = $1', [
    rows[0].id,
  ]);
}

async function createQuotation(db: Client, n: number): Promise<void> {
  const partner = await db.query<{ id: number }>(
    'SELECT id FROM res_partner ORDER BY random() LIMIT 1',
  );
  if (!partner.rowCount) return createCustomer(db, n);
  const id = partner.rows[0].id;
  const { rows } = await db.query<{ id: number }>(
    `INSERT INTO sale_order (name, partner_id, partner_invoice_id, partner_shipping_id, company_id, warehouse_id,
        picking_policy, state, date_order, amount_untaxed, amount_tax, amount_total, ${stamp})
     VALUES ($1, $2, $2, $2, 1, 1, 'direct', 'draft', ${now}, 0, 0, 0, ${stampValues}) RETURNING id`,
    [`S${String(n).padStart(5, '0')}`, id],
  );
  const untaxed = (100 + (n % 17) * 12.5).toFixed(2);
  // The stored computed amounts are flushed after the insert, as the ORM does.
  await db.query(
    `UPDATE sale_order SET amount_untaxed = $2, amount_tax = round($2 * 0.15, 2), amount_total = round($2 * 1.15, 2), ${touch} WHERE id = $1`,
    [rows[0].id, untaxed],
  );
}

async function confirmQuotation(db: Client, n: number): Promise<void> {
  const draft = await db.query<{ id: number; partner_id: number; name: string }>(
    `SELECT id, partner_id, name FROM sale_order WHERE state = 'draft' ORDER BY id LIMIT 1`,
  );
  if (!draft.rowCount) return createQuotation(db, n);
  const order = draft.rows[0];
  await db.query(`UPDATE sale_order SET state = 'sale', ${touch} WHERE id = $1`, [order.id]);
  const picking = await db.query<{ id: number }>(
    `INSERT INTO stock_picking (name, origin, partner_id, state, move_type, location_id, location_dest_id, picking_type_id, ${stamp})
     VALUES ($1, $2, $3, 'draft', 'direct', 8, 5, 2, ${stampValues}) RETURNING id`,
    [`WH/OUT/${String(n).padStart(5, '0')}`, order.name, order.partner_id],
  );
  await db.query(
    `INSERT INTO stock_move (name, picking_id, product_id, product_uom, product_uom_qty, company_id, date, state,
        procure_method, location_id, location_dest_id, ${stamp})
     VALUES ($1, $2, 1, 1, $3, 1, ${now}, 'draft', 'make_to_stock', 8, 5, ${stampValues})`,
    [`Demo product for ${order.name}`, picking.rows[0].id, 1 + (n % 4)],
  );
  await db.query(`UPDATE stock_picking SET state = 'assigned', ${touch} WHERE id = $1`, [
    picking.rows[0].id,
  ]);
}

async function updateLead(db: Client, n: number): Promise<void> {
  const lead = await db.query<{ id: number }>('SELECT id FROM crm_lead ORDER BY random() LIMIT 1');
  if (!lead.rowCount) {
    await db.query(
      `INSERT INTO crm_lead (name, type, active, probability, expected_revenue, ${stamp})
       VALUES ($1, 'opportunity', true, 10, $2, ${stampValues})`,
      [`Demo opportunity ${n}`, 1000 + n],
    );
    return;
  }
  await db.query(`UPDATE crm_lead SET probability = $2, ${touch} WHERE id = $1`, [
    lead.rows[0].id,
    (n * 7) % 100,
  ]);
}

async function deleteDraft(db: Client, n: number): Promise<void> {
  const draft = await db.query<{ id: number }>(
    `SELECT id FROM sale_order WHERE state = 'draft' ORDER BY id DESC LIMIT 1`,
  );
  if (!draft.rowCount || n % 2 === 0) return updateLead(db, n);
  await db.query('DELETE FROM sale_order WHERE id = $1', [draft.rows[0].id]);
}

const SCENARIOS: Scenario[] = [
  createCustomer,
  createQuotation,
  createQuotation,
  confirmQuotation,
  updateLead,
  deleteDraft,
];
