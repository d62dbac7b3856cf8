import { INestApplicationContext } from '@nestjs/common';
import { Client, ClientConfig, FieldDef } from 'pg';
import { loadConfig } from '@odoo-stream/config';
import { ChangeEvent, fromText, modelTopic } from '@odoo-stream/events';
import { createKafkaClient } from '@odoo-stream/kafka';
import { createLogger } from '@odoo-stream/observability';
import { startApp } from '@odoo-stream/runtime';
import { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import { KafkaSchemaStore } from '@odoo-stream/schema-registry';
import { captureApp } from '../apps/capture/capture.app';
import { startTestApi } from './support/test-api';
import { EventCollector, ownRegistryLookup, schemaStoreFor } from './support/event-collector';
import { expectedAfterTraffic, replayTraffic, restoreOdooDump } from './support/odoo-fixture';
import { testKafkaBrokers, uniqueName } from './support/test-stack';

const TEXT = { getTypeParser: () => (v: string) => v };

/** The database's rows as capture would encode them: id -> Avro values. */
async function rowsAsAvro(
  url: string,
  table: string,
): Promise<Map<number, Record<string, unknown>>> {
  const client = new Client({ connectionString: url, types: TEXT } as ClientConfig);
  await client.connect();
  try {
    const result = await client.query(`SELECT * FROM ${table} ORDER BY id`);
    const columns = result.fields.map((f: FieldDef) => ({
      name: f.name,
      typeOid: f.dataTypeID,
      typeMod: f.dataTypeModifier,
    }));
    return new Map(
      result.rows.map((row: Record<string, string | null>) => [
        Number(row.id),
        Object.fromEntries(columns.map((c) => [c.name, fromText(c, row[c.name])])),
      ]),
    );
  } finally {
    await client.end();
  }
}

describe('capture of real Odoo traffic', () => {
  const expected = expectedAfterTraffic().tables;
  const tables = Object.keys(expected);
  const models = tables.map((t) => expected[t].model);
  const prefix = uniqueName('odoo').replace(/-/g, '_');
  let url: string;
  let db: string;
  let capture: INestApplicationContext;
  let collector: EventCollector;
  let store: KafkaSchemaStore;

  beforeAll(async () => {
    url = await restoreOdooDump();
    db = new URL(url).pathname.slice(1);
    const config = loadConfig(
      {
        KAFKA_BROKERS: testKafkaBrokers(),
        ODOO_DATABASE_URL: url,
        TOPIC_PREFIX: prefix,
        CAPTURE_SLOT: prefix,
        TRACKED_MODELS: models.join(','),
        LOG_LEVEL: 'warn',
        CAPTURE_HEARTBEAT_MS: '500',
        // Small, so that the bulk writes of the scenario go through the spill file too.
        CAPTURE_SPILL_AFTER_ROWS: '20',
      },
      ['capture'],
    );
    capture = await startApp(captureApp, config, createLogger('capture', 'warn'));
    const kafka = createKafkaClient(config);
    store = schemaStoreFor(kafka, prefix);
    await store.start();
    collector = new EventCollector(kafka, ownRegistryLookup(store));
    await collector.start(models.map((m) => modelTopic(prefix, db, m)));
  });

  afterAll(async () => {
    await collector?.stop();
    await store?.stop();
    await capture?.close();
  });

  it('is decoded by a standard Confluent deserializer pointed at the api', async () => {
    await collector.waitFor(() => collector.messages.length > 0, 60_000, 'the first events');
    const { api, config: apiConfig, url: registryUrl } = await startTestApi(prefix);
    try {
      const registry = new SchemaRegistry({ host: registryUrl });
      const kafka = createKafkaClient(apiConfig);
      const raw: Array<{ key: Buffer; value: Buffer | null }> = [];
      const consumer = kafka.consumer({ groupId: uniqueName('confluent-decoder') });
      await consumer.connect();
      await consumer.subscribe({
        topics: [modelTopic(prefix, db, 'res.partner')],
        fromBeginning: true,
      });
      await consumer.run({
        eachMessage: async ({ message }) =>
          void raw.push({ key: message.key as Buffer, value: message.value }),
      });
      const partners = () =>
        collector.messages.filter((m) => m.topic === modelTopic(prefix, db, 'res.partner'));
      const deadline = Date.now() + 30_000;
      while (raw.length < partners().length && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 100));
      await consumer.disconnect();

      expect(raw.length).toBeGreaterThanOrEqual(expected.res_partner.rows_before);
      const decoded = await Promise.all(
        raw.map(async (m) => (m.value ? registry.decode(m.value) : null)),
      );
      const keys = await Promise.all(raw.map((m) => registry.decode(m.key)));
      expect(decoded.map((e) => (e as ChangeEvent | null)?.event_id ?? null)).toEqual(
        partners()
          .slice(0, raw.length)
          .map((m) => m.event?.event_id ?? null),
      );
      expect(keys.map((k) => (k as { id: number }).id)).toEqual(
        partners()
          .slice(0, raw.length)
          .map((m) => m.key.id),
      );

      const subjects = (await (await fetch(`${registryUrl}/subjects`)).json()) as string[];
      expect(subjects).toEqual(
        expect.arrayContaining([
          `${modelTopic(prefix, db, 'res.partner')}-value`,
          `${modelTopic(prefix, db, 'res.partner')}-key`,
        ]),
      );
      const missing = await fetch(`${registryUrl}/subjects/nope-value/versions`);
      expect(missing.status).toBe(404);
      expect(await missing.json()).toEqual({
        error_code: 40401,
        message: "Subject 'nope-value' not found.",
      });
    } finally {
      await api.close();
    }
  });

  it('snapshots every existing row as a read event', async () => {
    const before = tables.reduce((n, t) => n + expected[t].rows_before, 0);
    await collector.waitFor(
      () => collector.events().filter((e) => e.op === 'read').length >= before,
      60_000,
      'snapshot',
    );
    for (const table of tables) {
      const reads = collector
        .events()
        .filter((e) => e.op === 'read' && e.model === expected[table].model);
      expect({ table, reads: reads.length }).toEqual({ table, reads: expected[table].rows_before });
    }
  });

  it('streams the traffic: one event per transaction and record, and the log rebuilds every row exactly', async () => {
    await replayTraffic(url);
    const finals = new Map<string, Map<number, Record<string, unknown>>>();
    for (const table of tables) finals.set(table, await rowsAsAvro(url, table));

    // Replaying the log (snapshot, then stream, with unlink removing) must give the final tables.
    const rebuild = () => {
      const state = new Map<string, Map<number, Record<string, unknown>>>(
        tables.map((t) => [expected[t].model, new Map()]),
      );
      for (const e of collector.events()) {
        const rows = state.get(e.model) as Map<number, Record<string, unknown>>;
        if (e.op === 'unlink') rows.delete(e.record_id);
        else rows.set(e.record_id, e.after as Record<string, unknown>);
      }
      return state;
    };
    const countsMatch = () => {
      const state = rebuild();
      return tables.every((t) => state.get(expected[t].model)?.size === expected[t].rows_after);
    };
    await collector.waitFor(countsMatch, 90_000, 'the traffic');
    // Let late events arrive before judging that nothing is duplicated.
    await new Promise((r) => setTimeout(r, 1500));

    const state = rebuild();
    for (const table of tables) {
      const rebuilt = state.get(expected[table].model) as Map<number, Record<string, unknown>>;
      const final = finals.get(table) as Map<number, Record<string, unknown>>;
      expect({ table, rows: rebuilt.size }).toEqual({ table, rows: expected[table].rows_after });
      for (const [id, row] of final)
        expect({ table, id, row: rebuilt.get(id) }).toEqual({ table, id, row });
    }

    const streamed = collector.events().filter((e) => e.op !== 'read');
    const perTxRecord = new Set(streamed.map((e) => `${e.tx_id}|${e.model}|${e.record_id}`));
    expect(perTxRecord.size).toBe(streamed.length);
    expect(new Set(collector.events().map((e) => e.event_id)).size).toBe(collector.events().length);

    for (const table of tables) {
      const events = streamed.filter((e: ChangeEvent) => e.model === expected[table].model);
      const creates = events.filter((e) => e.op === 'create').length;
      const unlinks = events.filter((e) => e.op === 'unlink').length;
      expect({ table, unlinks }).toEqual({ table, unlinks: expected[table].row_changes.delete });
      expect({ table, net: creates - unlinks }).toEqual({
        table,
        net: expected[table].rows_after - expected[table].rows_before,
      });
    }
    // Every unlink is followed by a tombstone under the same key.
    const tombstones = collector.messages.filter((m) => m.event === null).length;
    expect(tombstones).toBe(streamed.filter((e) => e.op === 'unlink').length);
  });
});
