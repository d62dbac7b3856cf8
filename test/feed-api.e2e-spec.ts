import { freePort } from '@odoo-stream/local-infra';
import { FeedStack, insertPartner } from './support/feed-stack';

type Pull = {
  success: boolean;
  events: Array<Record<string, unknown> & { id: number; model: string; record_id: number }>;
  last_id: number;
  has_more: boolean;
  count: number;
  timestamp: string;
};

describe('pull feed and sync-state API (the add-on contract)', () => {
  let stack: FeedStack;
  const partners: number[] = [];
  let orderId: number;

  beforeAll(async () => {
    stack = await FeedStack.create(['res.partner', 'sale.order', 'crm.lead']);
    await stack.start('capture', 'projector', 'api');
    for (const name of ['Azure Interior', 'Deco Addict', 'Gemini Furniture']) {
      partners.push(await insertPartner(stack.odoo, name));
    }
    // One Odoo write() of a partner: two UPDATEs in one transaction, one event.
    await stack.odoo.query('BEGIN');
    await stack.odoo.query(`UPDATE res_partner SET email = 'info@azure.example' WHERE id = $1`, [
      partners[0],
    ]);
    await stack.odoo.query(`UPDATE res_partner SET phone = '+32 2 555 01 01' WHERE id = $1`, [
      partners[0],
    ]);
    await stack.odoo.query('COMMIT');
    const { rows } = await stack.odoo.query<{ id: number }>(
      `INSERT INTO sale_order (name, company_id, date_order, partner_id, partner_invoice_id,
         partner_shipping_id, picking_policy, warehouse_id, state, amount_total, create_uid,
         write_uid)
       VALUES ('S00042', 1, now(), $1, $1, $1, 'direct', 1, 'draft', 1250.5, 2, 2) RETURNING id`,
      [partners[1]],
    );
    orderId = rows[0].id;
    await stack.until(
      async () => ((await stack.feedRows()).length >= 5 ? true : undefined),
      'five feed rows',
    );
  });

  afterAll(async () => {
    await stack?.close();
  });

  const pull = (query = '') => stack.http<Pull>('GET', `/api/webhooks/pull${query}`);

  it('serves every event after last_event_id in id order, in the add-on field names', async () => {
    const { status, body } = await pull();
    expect(status).toBe(200);
    expect(body).toMatchObject({ success: true, count: 5, has_more: false });
    expect(Object.keys(body).sort()).toEqual(
      ['count', 'events', 'has_more', 'last_id', 'success', 'timestamp'].sort(),
    );
    const ids = body.events.map((e) => e.id);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(body.last_id).toBe(ids[ids.length - 1]);
    const created = body.events.find(
      (e) => e.record_id === partners[2] && e.model === 'res.partner',
    );
    expect(created).toEqual({
      id: expect.any(Number),
      model: 'res.partner',
      record_id: partners[2],
      event: 'create',
      timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      payload: expect.objectContaining({ id: partners[2], name: 'Gemini Furniture', active: true }),
      priority: 'medium',
      category: 'business',
      user_id: 2,
      user_name: 'Mitchell Admin',
    });
    const order = body.events.find((e) => e.model === 'sale.order');
    expect(order).toMatchObject({
      record_id: orderId,
      priority: 'high',
      category: 'business',
      payload: expect.objectContaining({ name: 'S00042', amount_total: 1250.5, state: 'draft' }),
    });
  });

  it('keeps one row per event, so a write after a create is its own row', async () => {
    const rows = (await pull()).body.events.filter(
      (e) => e.record_id === partners[0] && e.model === 'res.partner',
    );
    expect(rows.map((e) => e.event)).toEqual(['create', 'write']);
    const write = await stack.feedRows(`event = 'write' AND record_id = ${partners[0]}`);
    expect((write[0].changed_fields as string[]).sort()).toEqual(['email', 'phone']);
  });

  it('pages with limit and last_event_id, and has_more honours the filters', async () => {
    const first = (await pull('?limit=2')).body;
    expect(first).toMatchObject({ count: 2, has_more: true });
    const second = (await pull(`?limit=2&last_event_id=${first.last_id}`)).body;
    const third = (await pull(`?limit=2&last_event_id=${second.last_id}`)).body;
    expect(third).toMatchObject({ count: 1, has_more: false });
    const all = [...first.events, ...second.events, ...third.events].map((e) => e.id);
    expect(all).toEqual((await pull()).body.events.map((e) => e.id));

    const orders = (await pull('?models=sale.order&limit=1')).body;
    expect(orders).toMatchObject({ count: 1, has_more: false });
    const partnersOnly = (await pull('?models=["res.partner"]&limit=3')).body;
    expect(partnersOnly.events.every((e) => e.model === 'res.partner')).toBe(true);
    expect(partnersOnly.has_more).toBe(true);
    const high = (await stack.http<Pull>('POST', '/api/webhooks/pull', { priority: 'high' })).body;
    expect(high.events.map((e) => e.model)).toEqual(['sale.order']);
    const both = (
      await stack.http<Pull>('POST', '/api/webhooks/pull', { models: ['sale.order', 'crm.lead'] })
    ).body;
    expect(both.count).toBe(1);
  });

  it('marks processed rows, counting the ids sent as the add-on does, and hides them from the pull', async () => {
    const before = (await pull()).body;
    const target = before.events
      .filter((e) => e.model === 'res.partner')
      .slice(0, 2)
      .map((e) => e.id);
    const marked = await stack.http('POST', '/api/webhooks/mark-processed', {
      event_ids: [...target, 999_999],
    });
    expect(marked.status).toBe(200);
    expect(marked.body).toEqual({
      success: true,
      processed_count: 3,
      message: '3 event(s) marked as processed',
      timestamp: expect.any(String),
    });
    const again = await stack.http('POST', '/api/webhooks/mark-processed', { event_ids: target });
    expect(again.body.processed_count).toBe(2);
    const after = (await pull()).body;
    expect(after.events.map((e) => e.id)).toEqual(
      before.events.map((e) => e.id).filter((id) => !target.includes(id)),
    );

    const stats = await stack.http<{ success: boolean; stats: Record<string, unknown> }>(
      'GET',
      '/api/webhooks/stats?days=7',
    );
    // As the add-on: by_model the ten busiest models as a list, a top-level timestamp.
    expect(stats.body).toEqual({
      success: true,
      stats: {
        period_days: 7,
        total: 5,
        processed: 2,
        pending: 3,
        archived: 0,
        by_model: [
          { model: 'res.partner', count: 4 },
          { model: 'sale.order', count: 1 },
        ],
        by_priority: { high: 1, medium: 4 },
      },
      timestamp: expect.any(String),
    });
    const health = await stack.http('GET', '/api/webhooks/health', undefined, {});
    expect(health.status).toBe(200);
    expect(health.body).toEqual({
      status: 'healthy',
      version: expect.any(String),
      module: 'odoo-stream',
      pending_events: 3,
      timestamp: expect.any(String),
    });
  });

  it('creates, updates and reports a device sync state', async () => {
    const query = '?user_id=7&device_id=tablet-1&app_type=sales_app&app_version=3.0.1';
    const created = await stack.http('GET', `/api/webhooks/sync-state${query}`);
    expect(created.status).toBe(200);
    expect(created.body).toEqual({
      success: true,
      sync_state: {
        id: expect.any(Number),
        user_id: 7,
        device_id: 'tablet-1',
        app_type: 'sales_app',
        last_event_id: 0,
        last_sync_time: null,
        sync_count: 0,
        is_active: true,
        // As the add-on: the device details this request set come back.
        app_version: '3.0.1',
      },
      timestamp: expect.any(String),
    });
    const same = await stack.http('POST', '/api/webhooks/sync-state', {
      user_id: 7,
      device_id: 'tablet-1',
      app_type: 'sales_app',
    });
    expect(same.body.sync_state).toEqual({
      ...(created.body.sync_state as object),
      app_version: undefined,
    });

    const updated = await stack.http('POST', '/api/webhooks/sync-state/update', {
      user_id: 7,
      device_id: 'tablet-1',
      last_event_id: 4,
      events_synced: 4,
    });
    expect(updated.status).toBe(200);
    expect(updated.body.sync_state).toMatchObject({
      last_event_id: 4,
      sync_count: 1,
      total_events_synced: 4,
      last_sync_time: expect.any(String),
    });
    const unknown = await stack.http('POST', '/api/webhooks/sync-state/update', {
      user_id: 7,
      device_id: 'never-seen',
      last_event_id: 4,
    });
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({
      error: true,
      message: expect.stringContaining('never-seen'),
    });

    await stack.http(
      'GET',
      '/api/webhooks/sync-state?user_id=7&device_id=phone-2&app_type=delivery_app',
    );
    const stats = await stack.http<{ stats: Record<string, unknown>; timestamp: string }>(
      'GET',
      '/api/webhooks/sync-state/stats?user_id=7',
    );
    expect(stats.body.stats).toEqual({
      user_id: 7,
      total_devices: 2,
      active_devices: 2,
      total_syncs: 1,
      total_events_synced: expect.any(Number),
      last_sync_time: expect.any(String),
      devices: expect.any(Array),
      by_app_type: {
        sales_app: 1,
        delivery_app: 1,
        warehouse_app: 0,
        manager_app: 0,
        mobile_app: 0,
      },
    });
    expect(stats.body.timestamp).toEqual(expect.any(String));
    expect((stats.body.stats.devices as unknown[]).length).toBe(2);
    // BridgeCore sends device_id and app_type too: they narrow by_app_type, as in the add-on.
    const narrowed = await stack.http<{ stats: Record<string, unknown> }>(
      'GET',
      '/api/webhooks/sync-state/stats?user_id=7&device_id=phone-2&app_type=delivery_app',
    );
    expect(narrowed.status).toBe(200);
    expect(narrowed.body.stats).toMatchObject({
      total_devices: 2,
      by_app_type: { sales_app: 0, delivery_app: 1 },
    });
    // Without a user the add-on counts the devices the filters select and lists none.
    const everyone = await stack.http<{ stats: Record<string, unknown> }>(
      'GET',
      '/api/webhooks/sync-state/stats?app_type=delivery_app',
    );
    const [{ n }] = await stack.serviceQuery(
      `SELECT count(*)::int AS n FROM user_sync_state WHERE app_type = 'delivery_app'`,
    );
    expect(everyone.body.stats).toMatchObject({ user_id: null, total_devices: n, devices: [] });
    expect(Object.keys((stats.body.stats.devices as object[])[0]).sort()).toEqual([
      'app_type',
      'device_id',
      'is_active',
      'last_sync_time',
      'sync_count',
      'total_events_synced',
    ]);
  });

  it('answers 401 without a valid key and changes nothing', async () => {
    const processed = (await stack.feedRows('is_processed')).length;
    for (const headers of <Array<Record<string, string>>>[
      {},
      { 'X-API-Key': 'osk_wrong' },
      { 'X-API-Key': stack.apiKey.slice(0, -1) },
    ]) {
      const pulled = await stack.http('GET', '/api/webhooks/pull', undefined, headers);
      expect(pulled.status).toBe(401);
      expect(pulled.body).toMatchObject({
        error: true,
        message: expect.stringMatching(/X-API-Key/),
      });
      const marked = await stack.http(
        'POST',
        '/api/webhooks/mark-processed',
        { event_ids: (await pull()).body.events.map((e) => e.id) },
        headers,
      );
      expect(marked.status).toBe(401);
    }
    expect((await stack.feedRows('is_processed')).length).toBe(processed);
  });

  it("takes what the add-on's controller takes: unknown keys ignored, limit clamped, unknown models filtered", async () => {
    // BridgeCore sends keys the add-on never reads (db, app_type on pull); the add-on ignores them.
    const pending = (await pull()).body.count;
    const withExtras = await stack.http<Pull>('POST', '/api/webhooks/pull', {
      last_event_id: 0,
      limit: 5000,
      db: 'odoo',
      app_type: 'sales_app',
    });
    expect(withExtras.status).toBe(200);
    expect(withExtras.body.count).toBe(pending);
    const clamped = await pull('?limit=100000&unknown=1');
    expect(clamped.status).toBe(200);
    expect(clamped.body.count).toBe(pending);
    // Models odoo-stream does not track match nothing; tracked ones in the same list still match.
    const some = await pull('?models=mail.message,res.users,sale.order');
    expect(some.status).toBe(200);
    expect(some.body.events.map((e) => e.model)).toEqual(['sale.order']);
    const none = await stack.http<Pull>('POST', '/api/webhooks/pull', { models: ['mail.channel'] });
    expect(none.body).toMatchObject({ success: true, count: 0, events: [], has_more: false });
  });

  it('keeps device ids as the add-on does: any characters, 3 to 255', async () => {
    for (const device of ['iPhone de Ali', 'هاتف علي', 'android/3f2a', 'x'.repeat(255)]) {
      const created = await stack.http<{ success: boolean; sync_state: { device_id: string } }>(
        'GET',
        `/api/webhooks/sync-state?user_id=9&device_id=${encodeURIComponent(device)}&app_type=sales_app&db=odoo`,
      );
      expect(created.status).toBe(200);
      expect(created.body.sync_state.device_id).toBe(device);
    }
    for (const device of ['ab', ' a ', 'x'.repeat(256)]) {
      const refused = await stack.http('POST', '/api/webhooks/sync-state', {
        user_id: 9,
        device_id: device,
      });
      expect(refused.status).toBe(400);
      expect(refused.body.message).toMatch(/device_id must be 3 to 255 characters/);
    }
  });

  it('answers CORS as the add-on does on its paths, and not elsewhere', async () => {
    const preflight = await fetch(`${stack.url}/api/webhooks/pull`, {
      method: 'OPTIONS',
      headers: {
        Origin: 'https://app.example.com',
        'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': 'content-type,x-api-key',
      },
    });
    expect(preflight.status).toBe(200);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
    expect(preflight.headers.get('access-control-allow-methods')).toBe('GET,POST,OPTIONS');
    expect(preflight.headers.get('access-control-allow-headers')).toMatch(/X-API-Key/);
    expect(preflight.headers.get('access-control-max-age')).toBe('86400');
    const pulled = await pull();
    expect(pulled.headers.get('access-control-allow-origin')).toBe('*');
    const admin = await fetch(`${stack.url}/api/subscribers`, {
      headers: { Origin: 'https://app.example.com', 'X-API-Key': stack.adminKey },
    });
    expect(admin.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('says so when a cursor is above every id this feed handed out, instead of an empty page forever', async () => {
    const answer = await pull('?last_event_id=50000');
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({
      error: true,
      message: expect.stringMatching(
        /last_event_id 50000 is above the highest id .*FEED_IDS_AFTER=50000/,
      ),
    });
  });

  it('numbers new rows above FEED_IDS_AFTER, so a cursor carried over from the add-on misses nothing', async () => {
    await stack.stop('projector');
    await stack.startAs('projector', 'projector', { FEED_IDS_AFTER: '50000' });
    const id = await insertPartner(stack.odoo, 'After Migration');
    const page = await stack.until(async () => {
      const answer = await pull('?last_event_id=50000');
      return answer.status === 200 && answer.body.count > 0 ? answer.body : undefined;
    }, 'the new row above 50000');
    expect(page.events).toEqual([
      expect.objectContaining({ id: 50001, model: 'res.partner', record_id: id }),
    ]);
    // Lower values never lower the numbering.
    await stack.stop('projector');
    await stack.startAs('projector', 'projector', { FEED_IDS_AFTER: '10' });
    await insertPartner(stack.odoo, 'Still Above');
    const next = await stack.until(async () => {
      const answer = await pull('?last_event_id=50001');
      return answer.body.count > 0 ? answer.body : undefined;
    }, 'the next row');
    expect(next.events[0].id).toBe(50002);
  });

  it('refuses malformed input with a 400 and a reason, and changes nothing', async () => {
    const rowsBefore = await stack.feedRows();
    const devicesBefore = await stack.serviceQuery('SELECT * FROM user_sync_state ORDER BY id');
    const cases: Array<[string, string, unknown, RegExp]> = [
      [
        'GET',
        '/api/webhooks/pull?last_event_id=-1',
        undefined,
        /last_event_id must not be less than 0/,
      ],
      [
        'GET',
        '/api/webhooks/pull?last_event_id=abc',
        undefined,
        /last_event_id must be an integer/,
      ],
      ['GET', '/api/webhooks/pull?limit=0', undefined, /limit must not be less than 1/],
      ['GET', '/api/webhooks/pull?priority=urgent', undefined, /priority must be one of/],
      ['POST', '/api/webhooks/pull', '{"limit": 5', /in JSON at position 11/],
      ['POST', '/api/webhooks/pull', { limit: '5x' }, /limit must be an integer/],
      ['POST', '/api/webhooks/mark-processed', { event_ids: 'all' }, /event_ids must be an array/],
      [
        'POST',
        '/api/webhooks/mark-processed',
        { event_ids: [] },
        /event_ids must contain at least 1/,
      ],
      ['POST', '/api/webhooks/mark-processed', { event_ids: [-3] }, /must not be less than 1/],
      ['POST', '/api/webhooks/mark-processed', {}, /event_ids/],
      ['GET', '/api/webhooks/stats?days=0', undefined, /days must not be less than 1/],
      ['GET', '/api/webhooks/sync-state?user_id=7', undefined, /device_id/],
      [
        'GET',
        '/api/webhooks/sync-state?user_id=x&device_id=d',
        undefined,
        /user_id must be an integer/,
      ],
      [
        'GET',
        '/api/webhooks/sync-state?user_id=7&device_id=ddd&app_type=pos_app',
        undefined,
        /app_type 'pos_app' is not one of/,
      ],
      [
        'POST',
        '/api/webhooks/sync-state/update',
        { user_id: 7, device_id: 'tablet-1', last_event_id: -5 },
        /last_event_id must not be less than 0/,
      ],
      [
        'GET',
        '/api/webhooks/sync-state/stats?user_id=-1',
        undefined,
        /user_id must not be less than 1/,
      ],
      [
        'POST',
        '/api/v2/devices',
        { user_id: 7, device_id: 'xy', app_type: 'sales_app' },
        /device_id must be 3 to 255 characters/,
      ],
    ];
    for (const [method, path, body, reason] of cases) {
      const answer = await stack.http(method, path, body);
      expect({ path, body, status: answer.status }).toEqual({ path, body, status: 400 });
      expect(answer.body).toEqual({
        error: true,
        message: expect.stringMatching(reason),
        timestamp: expect.any(String),
      });
    }
    expect(await stack.feedRows()).toEqual(rowsBefore);
    expect(await stack.serviceQuery('SELECT * FROM user_sync_state ORDER BY id')).toEqual(
      devicesBefore,
    );
  });

  it('limits each key to API_RATE_LIMIT_PER_MINUTE and says when to retry', async () => {
    const port = String(await freePort());
    await stack.startAs('limited-api', 'api', { API_PORT: port, API_RATE_LIMIT_PER_MINUTE: '3' });
    const call = () =>
      fetch(`http://127.0.0.1:${port}/api/webhooks/pull`, {
        headers: { 'X-API-Key': stack.apiKey },
      });
    const statuses: number[] = [];
    let limited: Response | undefined;
    for (let i = 0; i < 4; i++) {
      const response = await call();
      statuses.push(response.status);
      if (response.status === 429) limited = response;
    }
    expect(statuses).toEqual([200, 200, 200, 429]);
    expect(Number(limited?.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await limited?.json()).toMatchObject({ error: true, message: expect.any(String) });
    await stack.stop('limited-api');
  });

  it('documents every endpoint in the OpenAPI document', async () => {
    const doc = await stack.http<{ paths: Record<string, Record<string, unknown>> }>(
      'GET',
      '/api/docs/openapi.json',
    );
    for (const [path, methods] of Object.entries({
      '/api/webhooks/pull': ['get', 'post'],
      '/api/webhooks/mark-processed': ['post'],
      '/api/webhooks/stats': ['get'],
      '/api/webhooks/health': ['get'],
      '/api/webhooks/sync-state': ['get', 'post'],
      '/api/webhooks/sync-state/update': ['post'],
      '/api/webhooks/sync-state/stats': ['get'],
      '/api/v2/devices': ['post'],
      '/api/v2/sync/pull': ['post'],
      '/api/v2/sync/ack': ['post'],
    })) {
      expect(Object.keys(doc.body.paths[path] ?? {}).sort()).toEqual(
        expect.arrayContaining(methods),
      );
    }
  });
});
