import { Client } from 'pg';
import { loadConfig } from '@odoo-stream/config';
import { modelTopic } from '@odoo-stream/events';
import { createKafkaClient } from '@odoo-stream/kafka';
import { installDemoSchema } from '@odoo-stream/odoo';
import { AppProcess } from './support/app-process';
import { EventCollector, ownRegistryLookup, schemaStoreFor } from './support/event-collector';
import { captureEnv, createTestDatabase, uniqueName } from './support/test-stack';

describe('capture: a snapshot interrupted by kill -9', () => {
  it('starts the snapshot again at the next start, and no row or later change is missing', async () => {
    const prefix = uniqueName('snaprestart').replace(/-/g, '_');
    const url = await createTestDatabase('snaprestart');
    await installDemoSchema(url);
    const sql = new Client({ connectionString: url });
    await sql.connect();
    await sql.query(
      `INSERT INTO res_partner (name, active) SELECT 'Existing ' || i, true FROM generate_series(1, 30000) i`,
    );
    const env = captureEnv(url, prefix, ['res.partner'], { LOG_LEVEL: 'info' });
    const kafka = createKafkaClient(loadConfig(env, ['capture']));
    const store = schemaStoreFor(kafka, prefix);
    const collector = new EventCollector(kafka, ownRegistryLookup(store));
    let capture = new AppProcess('capture', env);
    try {
      capture.start();
      await capture.waitForLog(/^snapshot: res\.partner \d+\/30000 rows$/);
      await capture.kill9();
      await sql.query(
        `INSERT INTO res_partner (name, active) VALUES ('Written between the two runs', true)`,
      );

      capture = new AppProcess('capture', env);
      capture.start();
      await capture.waitForLog(/^streaming changes from/);
      expect(capture.lines.some((l) => /dropping it to snapshot again/.test(String(l.msg)))).toBe(
        true,
      );
      await sql.query(`INSERT INTO res_partner (name, active) VALUES ('Written after', true)`);

      await store.start();
      await collector.start([modelTopic(prefix, new URL(url).pathname.slice(1), 'res.partner')]);
      const names = () => new Set(collector.events().map((e) => e.after?.name));
      await collector.waitFor(
        () => names().has('Written after'),
        60_000,
        'the change after the snapshot',
      );
      const seen = names();
      const missing = [];
      for (let i = 1; i <= 30000; i++) if (!seen.has(`Existing ${i}`)) missing.push(i);
      expect(missing).toEqual([]);
      expect(seen.has('Written between the two runs')).toBe(true);
    } finally {
      await capture.stop();
      await collector.stop();
      await store.stop();
      await sql.end();
    }
  });
});
