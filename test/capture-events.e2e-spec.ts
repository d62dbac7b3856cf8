import { INestApplicationContext } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { loadConfig } from '@odoo-stream/config';
import { modelTopic } from '@odoo-stream/events';
import { createKafkaClient, ensureTopics } from '@odoo-stream/kafka';
import { createLogger } from '@odoo-stream/observability';
import { installDemoSchema } from '@odoo-stream/odoo';
import { startApp } from '@odoo-stream/runtime';
import { captureApp } from '../apps/capture/capture.app';
import { startTestApi } from './support/test-api';
import { EventCollector, ownRegistryLookup, schemaStoreFor } from './support/event-collector';
import { captureEnv, createTestDatabase, testKafkaBrokers, uniqueName } from './support/test-stack';

/** A capture app on its own demo database, slot and topics, with a collector on its topics. */
async function captureFixture(models: string[]) {
  const prefix = uniqueName('events').replace(/-/g, '_');
  const url = await createTestDatabase('events');
  await installDemoSchema(url);
  const db = new URL(url).pathname.slice(1);
  const env = (trackedModels: string[]) => captureEnv(url, prefix, trackedModels);
  const start = (trackedModels: string[]) =>
    startApp(
      captureApp,
      loadConfig(env(trackedModels), ['capture']),
      createLogger('capture', 'warn'),
    );
  const kafka = createKafkaClient(loadConfig(env(models), ['capture']));
  const store = schemaStoreFor(kafka, prefix);
  await store.start();
  const collector = new EventCollector(kafka, ownRegistryLookup(store));
  const sql = new Client({ connectionString: url });
  await sql.connect();
  // Capture starts in the background and takes its slot twice (snapshot, then streaming): it
  // streams once the slot's walsender has started replication.
  const untilStreaming = async () => {
    const streaming = async () =>
      (
        await sql.query(
          `SELECT 1 FROM pg_replication_slots s JOIN pg_stat_replication r ON r.pid = s.active_pid
           WHERE s.slot_name = $1 AND r.state IN ('catchup', 'streaming')`,
          [prefix],
        )
      ).rowCount === 1;
    for (let i = 0; i < 600 && !(await streaming()); i++)
      await new Promise((r) => setTimeout(r, 100));
    if (!(await streaming())) throw new Error(`capture never streamed from slot ${prefix}`);
  };
  return {
    prefix,
    url,
    db,
    start,
    untilStreaming,
    store,
    collector,
    sql,
    kafka,
    topic: (model: string) => modelTopic(prefix, db, model),
  };
}

describe('capture: the events consumers decode', () => {
  let fixture: Awaited<ReturnType<typeof captureFixture>>;
  let capture: INestApplicationContext;

  beforeAll(async () => {
    fixture = await captureFixture(['res.partner', 'sale.order']);
    capture = await fixture.start(['res.partner', 'sale.order']);
    await fixture.untilStreaming();
    await fixture.collector.start([fixture.topic('res.partner'), fixture.topic('sale.order')]);
  });

  afterAll(async () => {
    await capture?.close();
    await fixture?.collector.stop();
    await fixture?.store.stop();
    await fixture?.sql.end();
  });

  it('match create, write, unlink, TOASTed text, numeric and timestamp values exactly', async () => {
    const { sql, collector } = fixture;
    // Random hex does not compress: 12 KB of it is stored out of line (TOAST).
    const longComment = randomBytes(6000).toString('hex');
    await sql.query('BEGIN');
    const { rows } = await sql.query<{ id: number }>(
      `INSERT INTO res_partner (name, comment, active, create_date) VALUES ('Draft name', $1, true, '2026-11-22 15:35:34.051418') RETURNING id`,
      [longComment],
    );
    const id = rows[0].id;
    await sql.query(`UPDATE res_partner SET name = 'Azure Interior' WHERE id = $1`, [id]);
    await sql.query('COMMIT');

    await sql.query('BEGIN');
    await sql.query(`UPDATE res_partner SET phone = '+32 2 555 01 01' WHERE id = $1`, [id]);
    await sql.query(`UPDATE res_partner SET email = 'azure@example.com' WHERE id = $1`, [id]);
    await sql.query('COMMIT');

    const order = await sql.query<{ id: number }>(
      `INSERT INTO sale_order (name, partner_id, partner_invoice_id, partner_shipping_id, company_id, warehouse_id, picking_policy,
         date_order, amount_total) VALUES ('S00042', $1, $1, $1, 1, 1, 'direct', '2026-11-22 15:35:34.051418', 1234.5678) RETURNING id`,
      [id],
    );
    await sql.query('DELETE FROM res_partner WHERE id = $1', [id]);

    const ofPartner = () =>
      collector.events().filter((e) => e.model === 'res.partner' && e.record_id === id);
    await collector.waitFor(() => ofPartner().length === 3, 30_000, 'create, write and unlink');
    const [created, written, unlinked] = ofPartner();

    expect(created).toMatchObject({
      op: 'create',
      before: null,
      after: { name: 'Azure Interior', comment: longComment },
    });
    expect(created.after?.create_date).toBe(Date.UTC(2026, 10, 22, 15, 35, 34) * 1000 + 51418);

    // The comment was not touched: pgoutput does not resend it, yet both images carry it.
    expect(written.op).toBe('write');
    expect(written.changed_fields).toEqual(['email', 'phone']);
    expect(written.before).toMatchObject({
      name: 'Azure Interior',
      phone: null,
      email: null,
      comment: longComment,
    });
    expect(written.after).toMatchObject({
      phone: '+32 2 555 01 01',
      email: 'azure@example.com',
      comment: longComment,
    });

    expect(unlinked).toMatchObject({
      op: 'unlink',
      after: null,
      before: { email: 'azure@example.com', comment: longComment },
    });

    await collector.waitFor(
      () => collector.events().some((e) => e.model === 'sale.order'),
      30_000,
      'the order',
    );
    const sale = collector
      .events()
      .find((e) => e.model === 'sale.order' && e.record_id === order.rows[0].id);
    expect(sale?.after).toMatchObject({
      name: 'S00042',
      amount_total: '1234.5678',
      date_order: Date.UTC(2026, 10, 22, 15, 35, 34) * 1000 + 51418,
    });
  });
});

describe('capture: tracked models', () => {
  it('skips a model that is not installed, and refuses to start when none is', async () => {
    const fixture = await captureFixture(['res.partner']);
    try {
      const capture = await fixture.start(['res.partner', 'x_fleet.vehicle']);
      await capture.close();
      await expect(fixture.start(['x_fleet.vehicle'])).rejects.toThrow(
        'none of TRACKED_MODELS (x_fleet.vehicle) is installed in the Odoo database',
      );
    } finally {
      await fixture.store.stop();
      await fixture.sql.end();
    }
  });

  it('refuses a slot another capture holds, and a role that may not replicate, saying what to change', async () => {
    const fixture = await captureFixture(['res.partner']);
    try {
      const first = await fixture.start(['res.partner']);
      await fixture.untilStreaming();
      try {
        await expect(fixture.start(['res.partner'])).rejects.toThrow(
          new RegExp(
            `replication slot '${fixture.prefix}' is in use by server process \\d+ \\(another capture running\\?\\); stop it, or set CAPTURE_SLOT to another name`,
          ),
        );
      } finally {
        await first.close();
      }
      const role = `${fixture.prefix}_reader`;
      await fixture.sql.query(`CREATE ROLE ${role} LOGIN`);
      await fixture.sql.query(`GRANT SELECT ON ALL TABLES IN SCHEMA public TO ${role}`);
      const asReader = new URL(fixture.url);
      asReader.username = role;
      const config = loadConfig(
        {
          KAFKA_BROKERS: testKafkaBrokers(),
          ODOO_DATABASE_URL: asReader.toString(),
          TOPIC_PREFIX: fixture.prefix,
          CAPTURE_SLOT: `${fixture.prefix}_2`,
          LOG_LEVEL: 'warn',
        },
        ['capture'],
      );
      await expect(startApp(captureApp, config, createLogger('capture', 'warn'))).rejects.toThrow(
        `role '${role}' of ODOO_DATABASE_URL may not replicate: run ALTER ROLE "${role}" REPLICATION as a superuser`,
      );
    } finally {
      await fixture.store.stop();
      await fixture.sql.end();
    }
  });

  it("snapshots a model added to TRACKED_MODELS at restart without touching the others' position", async () => {
    const fixture = await captureFixture(['res.partner', 'crm.lead']);
    const { sql, collector } = fixture;
    try {
      await sql.query(`INSERT INTO res_partner (name, active) VALUES ('Before capture', true)`);
      await sql.query(
        `INSERT INTO crm_lead (name, type) VALUES ('Lead 1', 'lead'), ('Lead 2', 'opportunity')`,
      );
      let capture = await fixture.start(['res.partner']);
      // The crm.lead topic appears only once the model is tracked; the consumer subscribes up front.
      await ensureTopics(fixture.kafka, [{ topic: fixture.topic('crm.lead') }]);
      await collector.start([fixture.topic('res.partner'), fixture.topic('crm.lead')]);
      await collector.waitFor(
        () => collector.events().length === 1,
        30_000,
        'the partner snapshot',
      );
      await capture.close();

      await sql.query(`INSERT INTO res_partner (name, active) VALUES ('While stopped', true)`);
      await sql.query(`INSERT INTO crm_lead (name, type) VALUES ('Lead 3', 'lead')`);
      capture = await fixture.start(['res.partner', 'crm.lead']);
      await collector.waitFor(
        () => collector.events().filter((e) => e.model === 'crm.lead').length >= 3,
        30_000,
        'the leads',
      );
      await sql.query(`UPDATE crm_lead SET name = 'Lead 1 (won)' WHERE name = 'Lead 1'`);
      await collector.waitFor(
        () => collector.events().some((e) => e.model === 'crm.lead' && e.op === 'write'),
        30_000,
        'the lead write',
      );
      await capture.close();

      const summary = (model: string) =>
        collector
          .events()
          .filter((e) => e.model === model)
          .map((e) => `${e.op} ${(e.after ?? e.before)?.name}`);
      // The partner slot position was kept: no second snapshot, the change made while stopped streams.
      expect(summary('res.partner')).toEqual(['read Before capture', 'create While stopped']);
      expect(summary('crm.lead')).toEqual([
        'read Lead 1',
        'read Lead 2',
        'read Lead 3',
        'write Lead 1 (won)',
      ]);
    } finally {
      await collector.stop();
      await fixture.store.stop();
      await fixture.sql.end();
    }
  });
});

describe('capture with an external schema registry (SCHEMA_REGISTRY_URL)', () => {
  it('registers its schemas there through the Confluent client, and the events decode with them', async () => {
    // Any Confluent-compatible registry will do; here it is odoo-stream's api on its own topics.
    const registryPrefix = uniqueName('registry').replace(/-/g, '_');
    const { api, url: registryUrl, adminKey } = await startTestApi(registryPrefix);
    // Registering needs the registry's admin key, sent as Confluent clients send credentials.
    const withKey = new URL(registryUrl);
    withKey.username = 'capture';
    withKey.password = adminKey;
    const fixture = await captureFixture(['res.partner']);
    // Schemas fetched the way Confluent deserializers fetch them.
    const collector = new EventCollector(fixture.kafka, async (id) => {
      const response = (await (await fetch(`${registryUrl}/schemas/ids/${id}`)).json()) as {
        schema: string;
      };
      return JSON.parse(response.schema);
    });
    try {
      await fixture.sql.query(
        `INSERT INTO res_partner (name, active) VALUES ('Registered elsewhere', true)`,
      );
      const config = loadConfig(
        captureEnv(fixture.url, fixture.prefix, ['res.partner'], {
          SCHEMA_REGISTRY_URL: withKey.toString(),
        }),
        ['capture'],
      );
      const capture = await startApp(captureApp, config, createLogger('capture', 'warn'));
      try {
        await collector.start([fixture.topic('res.partner')]);
        await collector.waitFor(() => collector.events().length === 1, 30_000, 'the snapshot row');
        expect(collector.events()[0]).toMatchObject({
          op: 'read',
          after: { name: 'Registered elsewhere' },
        });
        const subjects = (await (await fetch(`${registryUrl}/subjects`)).json()) as string[];
        expect(subjects).toEqual([
          `${fixture.topic('res.partner')}-key`,
          `${fixture.topic('res.partner')}-value`,
        ]);
        // The Confluent client set the subjects' compatibility on first registration.
        const level = await fetch(`${registryUrl}/config/${fixture.topic('res.partner')}-value`);
        expect(await level.json()).toEqual({ compatibilityLevel: 'BACKWARD' });
        // odoo-stream's own store for this prefix stayed empty: the external registry was used.
        await fixture.store.refresh();
        expect(fixture.store.catalog.subjects()).toEqual([]);
      } finally {
        await capture.close();
      }
    } finally {
      await collector.stop();
      await fixture.store.stop();
      await fixture.sql.end();
      await api.close();
    }
  });
});
