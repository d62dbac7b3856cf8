import { DataSource } from 'typeorm';
import { dataSourceOptions } from '@odoo-stream/db';
import { freePort } from '@odoo-stream/local-infra';
import { FeedRetention } from '../apps/projector/retention/feed-retention';
import { FeedStack, insertPartner } from './support/feed-stack';

type SmartPull = {
  status: string;
  must_resync: boolean;
  has_updates: boolean;
  new_events_count: number;
  events: Array<{ id: number; model: string; record_id: number }>;
  next_sync_token: string;
  last_sync_time: string | null;
};

describe('smart sync v2: per-device checkpoints that move only on acknowledgement', () => {
  let stack: FeedStack;

  beforeAll(async () => {
    stack = await FeedStack.create(['res.partner', 'sale.order'], { API_ACK_WAIT_MS: '10000' });
    await stack.start('capture', 'projector', 'api');
  });

  afterAll(async () => {
    await stack?.close();
  });

  async function register(userId: number, deviceId: string, appType = 'sales_app') {
    const answer = await stack.http<{ device_token: string; sync_state: unknown }>(
      'POST',
      '/api/v2/devices',
      { user_id: userId, device_id: deviceId, app_type: appType, app_version: '1.0.0' },
    );
    expect(answer.status).toBe(201);
    return answer.body.device_token;
  }

  const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
  const pull = (token: string, body: Record<string, unknown> = {}, url?: string) =>
    url
      ? fetch(`${url}/api/v2/sync/pull`, {
          method: 'POST',
          headers: { ...bearer(token), 'Content-Type': 'application/json' },
          body: JSON.stringify(body),
        }).then(async (r) => ({ status: r.status, body: (await r.json()) as SmartPull }))
      : stack.http<SmartPull>('POST', '/api/v2/sync/pull', body, bearer(token));
  const ack = (token: string, syncToken: string) =>
    stack.http<{ status: string; last_event_id: number }>(
      'POST',
      '/api/v2/sync/ack',
      { next_sync_token: syncToken },
      bearer(token),
    );

  async function partnersVisible(n: number) {
    await stack.until(
      async () => ((await stack.feedRows(`model = 'res.partner'`)).length >= n ? true : undefined),
      `${n} partner rows`,
    );
  }

  it('lets two devices of one user sync independently, each from its own checkpoint', async () => {
    const phone = await register(5, 'phone');
    const tablet = await register(5, 'tablet');
    for (const name of ['Lumber Inc', 'Ready Mat']) await insertPartner(stack.odoo, name);
    await partnersVisible(2);

    const first = await pull(phone);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ status: 'success', has_updates: true, new_events_count: 2 });
    // The phone has not acknowledged: it gets the same events again.
    expect((await pull(phone)).body.events).toEqual(first.body.events);
    expect((await ack(phone, first.body.next_sync_token)).body).toMatchObject({
      status: 'success',
      last_event_id: first.body.events[1].id,
    });
    expect((await pull(phone)).body).toMatchObject({ has_updates: false, events: [] });

    // The tablet is untouched by the phone's acknowledgement, and by a v1 client marking the
    // rows processed (the old global flag starved devices).
    await stack.http('POST', '/api/webhooks/mark-processed', {
      event_ids: first.body.events.map((e) => e.id),
    });
    const tablets = await pull(tablet);
    expect(tablets.body.events.map((e) => e.id)).toEqual(first.body.events.map((e) => e.id));

    await insertPartner(stack.odoo, 'Wood Corner');
    await partnersVisible(3);
    const next = await pull(phone);
    expect(next.body.events.map((e) => e.record_id)).toHaveLength(1);
    expect(next.body.last_sync_time).not.toBeNull();
  });

  it('takes the identity from the token only: a user_id in the body changes nothing', async () => {
    const own = await register(6, 'own-phone');
    const other = await register(7, 'other-phone');
    const before = await pull(other);
    const forged = await pull(own, { user_id: 7, limit: 500 });
    expect(forged.status).toBe(200);
    // The other user's checkpoint did not move: it still gets its events.
    await ack(own, forged.body.next_sync_token);
    expect((await pull(other)).body.events).toEqual(before.body.events);

    // A sync token of one device cannot move another's checkpoint.
    const stolen = await ack(own, before.body.next_sync_token);
    expect(stolen.status).toBe(401);
    expect(stolen.body).toMatchObject({ error: true, message: /another device/ });
    expect((await pull(other)).body.events).toEqual(before.body.events);

    const mismatch = await pull(own, { device_id: 'other-phone' });
    expect(mismatch.status).toBe(403);
    for (const headers of <Array<Record<string, string>>>[
      {},
      bearer('not.a.token'),
      bearer(`${own}x`),
      { 'X-API-Key': stack.apiKey },
    ]) {
      expect((await stack.http('POST', '/api/v2/sync/pull', {}, headers)).status).toBe(401);
    }
  });

  it("serves only the app type's models and refuses a filter outside them", async () => {
    const warehouse = await register(8, 'scanner', 'warehouse_app');
    const answer = await pull(warehouse);
    expect(answer.body.events.filter((e) => e.model === 'res.partner')).toEqual([]);
    const outside = await pull(warehouse, { models_filter: ['res.partner'] });
    expect(outside.status).toBe(400);
    expect(outside.body).toMatchObject({ message: /outside warehouse_app: res.partner/ });
    const tooMany = await pull(warehouse, { limit: 501 });
    expect(tooMany.status).toBe(400);
    const sales = await register(8, 'sales-tab', 'sales_app');
    const onlyOrders = await pull(sales, { models_filter: 'sale.order' });
    expect(onlyOrders.body.events.every((e) => e.model === 'sale.order')).toBe(true);
  });

  it('gives the same events again when the api is killed between pull and ack', async () => {
    const device = await register(9, 'crashy');
    await insertPartner(stack.odoo, 'Killed Before Ack');
    await partnersVisible(4);
    const port = String(await freePort());
    const api = stack.spawn('api', { API_PORT: port, LOG_LEVEL: 'info' });
    await api.waitForLog(/^ready on/);
    const url = `http://127.0.0.1:${port}`;
    const first = await pull(device, {}, url);
    expect(first.body.new_events_count).toBeGreaterThan(0);
    await api.kill9();
    const again = stack.spawn('api', { API_PORT: port, LOG_LEVEL: 'info' });
    await again.waitForLog(/^ready on/);
    const second = await pull(device, {}, url);
    expect(second.body.events).toEqual(first.body.events);
    await again.stop();
  });

  it('tells a device behind what the feed still keeps to resync, instead of a silent gap', async () => {
    const device = await register(10, 'old-phone');
    const rows = await stack.feedRows();
    await stack.http('POST', '/api/webhooks/mark-processed', {
      event_ids: rows.map((r) => Number(r.id)),
    });
    const dataSource = new DataSource(dataSourceOptions(stack.serviceUrl));
    await dataSource.initialize();
    const result = await new FeedRetention(dataSource, {
      archiveAfterDays: 7,
      deleteAfterDays: 30,
    }).run(new Date(Date.now() + 60 * 86_400_000));
    await dataSource.destroy();
    expect(result).toMatchObject({ archived: rows.length, deleted: rows.length });
    expect(result.purgedThroughId).toBe(Math.max(...rows.map((r) => Number(r.id))));

    const behind = await pull(device);
    expect(behind.body).toMatchObject({ must_resync: true, has_updates: false, events: [] });
    expect((await ack(device, behind.body.next_sync_token)).body.last_event_id).toBe(
      result.purgedThroughId,
    );
    await insertPartner(stack.odoo, 'After The Resync');
    await stack.until(
      async () => ((await stack.feedRows()).length > 0 ? true : undefined),
      'a new row after retention',
    );
    const caughtUp = await pull(device);
    expect(caughtUp.body).toMatchObject({ must_resync: false, new_events_count: 1 });
  });

  it("answers in the add-on's shape with the pending header when the projector is slower than API_ACK_WAIT_MS", async () => {
    await insertPartner(stack.odoo, 'Slow Projector');
    const row = await stack.until(async () => {
      const [found] = await stack.feedRows(`payload->>'name' = 'Slow Projector'`);
      return found;
    }, 'the row');
    const known = await stack.http<{ sync_state: { id: number } }>(
      'GET',
      '/api/webhooks/sync-state?user_id=31&device_id=known',
    );
    expect(known.headers.get('x-acknowledgement-pending')).toBeNull();
    await stack.stop('projector');
    const port = await freePort();
    await stack.startAs('impatient-api', 'api', { API_PORT: String(port), API_ACK_WAIT_MS: '200' });
    const call = async (method: string, path: string, body?: unknown) => {
      const answer = await fetch(`http://127.0.0.1:${port}${path}`, {
        method,
        headers: { 'X-API-Key': stack.apiKey, 'Content-Type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return {
        status: answer.status,
        pending: answer.headers.get('x-acknowledgement-pending'),
        body: (await answer.json()) as { sync_state: { id: number }; [key: string]: unknown },
      };
    };

    const marked = await call('POST', '/api/webhooks/mark-processed', {
      event_ids: [Number(row.id)],
    });
    expect(marked).toMatchObject({
      status: 200,
      pending: expect.any(String),
      body: { success: true, processed_count: 1, message: '1 event(s) marked as processed' },
    });
    expect((await stack.feedRows(`id = ${row.id}`))[0].is_processed).toBe(false);

    // A new device: the id answered now is the id its row gets once the projector applies it.
    const created = await call('GET', '/api/webhooks/sync-state?user_id=31&device_id=new%20phone');
    expect(created).toMatchObject({
      status: 200,
      pending: expect.any(String),
      body: {
        success: true,
        sync_state: {
          id: expect.any(Number),
          user_id: 31,
          device_id: 'new phone',
          app_type: 'mobile_app',
          last_event_id: 0,
          last_sync_time: null,
          sync_count: 0,
          is_active: true,
        },
        timestamp: expect.any(String),
      },
    });
    const updated = await call('POST', '/api/webhooks/sync-state/update', {
      user_id: 31,
      device_id: 'known',
      last_event_id: Number(row.id),
      events_synced: 3,
    });
    expect(updated).toMatchObject({
      status: 200,
      pending: expect.any(String),
      body: {
        success: true,
        sync_state: {
          id: known.body.sync_state.id,
          last_event_id: Number(row.id),
          sync_count: 1,
          total_events_synced: 3,
          last_sync_time: expect.any(String),
        },
      },
    });
    // The smart-sync API is ours: it says 202.
    const v2 = await call('POST', '/api/v2/devices', { user_id: 31, device_id: 'v2 phone' });
    expect(v2).toMatchObject({ status: 202, pending: expect.any(String) });

    await stack.start('projector');
    await stack.until(
      async () =>
        (await stack.feedRows(`id = ${row.id} AND is_processed`)).length ? true : undefined,
      'the acknowledgement applied',
    );
    const rows = await stack.until(async () => {
      const found = await stack.serviceQuery(
        `SELECT id, device_id, last_event_id, sync_count, total_events_synced
         FROM user_sync_state WHERE user_id = 31 ORDER BY device_id`,
      );
      return found.length === 3 && Number(found[0].sync_count) === 1 ? found : undefined;
    }, 'the sync states applied');
    expect(
      rows.map((r) => ({ ...r, id: Number(r.id), last_event_id: Number(r.last_event_id) })),
    ).toEqual([
      {
        id: known.body.sync_state.id,
        device_id: 'known',
        last_event_id: Number(row.id),
        sync_count: 1,
        total_events_synced: '3',
      },
      {
        id: created.body.sync_state.id,
        device_id: 'new phone',
        last_event_id: 0,
        sync_count: 0,
        total_events_synced: '0',
      },
      expect.objectContaining({ id: v2.body.sync_state.id, device_id: 'v2 phone' }),
    ]);
    await stack.stop('impatient-api');
  });
});
