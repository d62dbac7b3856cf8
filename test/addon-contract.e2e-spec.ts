import { freePort } from '@odoo-stream/local-infra';
import { FakeOdoo } from './support/fake-odoo';
import { FeedStack, insertPartner } from './support/feed-stack';
import { OpenApiContract } from './support/openapi-contract';

/** What a pydantic model of BridgeCore checks: the field is there, with this JSON type. */
type Kind =
  | 'int'
  | 'bool'
  | 'string'
  | 'list'
  | 'object'
  | 'datetime'
  | 'int|null'
  | 'string|null'
  | 'datetime|null';

function typeProblems(
  body: Record<string, unknown>,
  shape: Record<string, Kind>,
  where: string,
): string[] {
  const problems: string[] = [];
  for (const [field, kind] of Object.entries(shape)) {
    const value = body[field];
    const ok: Record<Kind, (v: unknown) => boolean> = {
      int: (v) => Number.isInteger(v),
      bool: (v) => typeof v === 'boolean',
      string: (v) => typeof v === 'string',
      list: Array.isArray,
      object: (v) => typeof v === 'object' && v !== null && !Array.isArray(v),
      datetime: (v) => typeof v === 'string' && !Number.isNaN(Date.parse(v)),
      'int|null': (v) => v === null || Number.isInteger(v),
      'string|null': (v) => v === null || typeof v === 'string',
      'datetime|null': (v) => v === null || (typeof v === 'string' && !Number.isNaN(Date.parse(v))),
    };
    if (!ok[kind](value))
      problems.push(`${where}.${field} is ${JSON.stringify(value)}, not ${kind}`);
  }
  return problems;
}

/**
 * BridgeCore's OdooSyncService and its Celery sync task, replayed request by request as their code
 * sends them (JSON bodies, `X-API-Key`, query strings of strings), with the fields and types their
 * pydantic models read; every answer also checked against the api's OpenAPI document.
 */
describe("the add-on's client calls (BridgeCore), answered as the add-on answers", () => {
  let stack: FeedStack;
  let contract: OpenApiContract;
  const headers = () => ({ 'Content-Type': 'application/json', 'X-API-Key': stack.apiKey });

  beforeAll(async () => {
    stack = await FeedStack.create(['res.partner', 'sale.order']);
    await stack.start('capture', 'projector', 'api');
    contract = await OpenApiContract.load(stack.url);
    await insertPartner(stack.odoo, 'Contract Partner');
    await insertPartner(stack.odoo, 'Second Partner');
    await stack.until(
      async () => ((await stack.feedRows()).length >= 2 ? true : undefined),
      'two feed rows',
    );
  });

  afterAll(async () => {
    await stack?.close();
  });

  /** One call as httpx sends it; fails the test on an answer the document does not describe. */
  async function call(
    method: 'GET' | 'POST',
    path: string,
    options: { json?: unknown; params?: Record<string, string> } = {},
  ) {
    const query = options.params ? `?${new URLSearchParams(options.params)}` : '';
    const response = await fetch(`${stack.url}${path}${query}`, {
      method,
      headers: headers(),
      body: options.json === undefined ? undefined : JSON.stringify(options.json),
    });
    const body = JSON.parse(await response.text()) as Record<string, unknown>;
    expect(contract.problems(method, path, response.status, body)).toEqual([]);
    return { status: response.status, body };
  }

  it('health_check and get_statistics', async () => {
    const health = await call('GET', '/api/webhooks/health');
    expect(health.status).toBe(200);
    expect(
      typeProblems(
        health.body,
        { status: 'string', pending_events: 'int', version: 'string', timestamp: 'datetime' },
        'health',
      ),
    ).toEqual([]);
    const stats = await call('GET', '/api/webhooks/stats', { params: { days: '7' } });
    expect(stats.status).toBe(200);
    expect(
      typeProblems(
        stats.body,
        { success: 'bool', stats: 'object', timestamp: 'datetime' },
        'stats',
      ),
    ).toEqual([]);
    const byModel = (stats.body.stats as { by_model: Array<{ model: string; count: number }> })
      .by_model;
    expect(byModel).toEqual(
      expect.arrayContaining([{ model: 'res.partner', count: expect.any(Number) }]),
    );
  });

  it("pull_events with an app type's models (some not tracked), then acknowledge_events", async () => {
    // APP_TYPE_MODELS['sales_app'] of BridgeCore: models this stack does not track match nothing.
    const models = [
      'sale.order',
      'sale.order.line',
      'res.partner',
      'product.template',
      'product.product',
    ];
    const pulled = await call('POST', '/api/webhooks/pull', {
      json: { last_event_id: 0, limit: 100, models, priority: 'medium', app_type: 'sales_app' },
    });
    expect(pulled.status).toBe(200);
    expect(
      typeProblems(
        pulled.body,
        {
          success: 'bool',
          events: 'list',
          last_id: 'int',
          has_more: 'bool',
          count: 'int',
          timestamp: 'datetime',
        },
        'pull',
      ),
    ).toEqual([]);
    const events = pulled.body.events as Array<Record<string, unknown>>;
    expect(events.length).toBeGreaterThanOrEqual(2);
    for (const event of events) {
      expect(
        typeProblems(
          event,
          {
            id: 'int',
            model: 'string',
            record_id: 'int',
            event: 'string',
            timestamp: 'datetime',
            payload: 'object',
            priority: 'string',
            category: 'string',
            user_id: 'int|null',
            user_name: 'string|null',
          },
          'event',
        ),
      ).toEqual([]);
      expect(event.category).toBe('business');
    }
    // The Celery task's pull: a batch size above the add-on's limit is clamped, not refused.
    const celery = await call('POST', '/api/webhooks/pull', {
      json: { last_event_id: 0, limit: 5000 },
    });
    expect(celery.status).toBe(200);

    const ids = events.map((e) => e.id as number);
    const acked = await call('POST', '/api/webhooks/mark-processed', { json: { event_ids: ids } });
    expect(acked.status).toBe(200);
    expect(acked.body).toMatchObject({ success: true, processed_count: ids.length });
    expect(typeProblems(acked.body, { message: 'string', timestamp: 'datetime' }, 'ack')).toEqual(
      [],
    );
    const after = await call('POST', '/api/webhooks/pull', {
      json: { last_event_id: 0, limit: 100 },
    });
    expect((after.body.events as Array<{ id: number }>).filter((e) => ids.includes(e.id))).toEqual(
      [],
    );
  });

  it('get_sync_state, update_sync_state and get_sync_statistics for a device named as people name them', async () => {
    const device = 'iPhone de Ali';
    const state = await call('POST', '/api/webhooks/sync-state', {
      json: { user_id: 41, device_id: device, app_type: 'sales_app' },
    });
    expect(state.status).toBe(200);
    const syncState = state.body.sync_state as Record<string, unknown>;
    expect(
      typeProblems(
        syncState,
        {
          id: 'int',
          user_id: 'int',
          device_id: 'string',
          app_type: 'string',
          last_event_id: 'int',
          last_sync_time: 'datetime|null',
          sync_count: 'int',
          is_active: 'bool',
        },
        'sync_state',
      ),
    ).toEqual([]);
    expect(syncState).toMatchObject({ user_id: 41, device_id: device, app_type: 'sales_app' });

    const updated = await call('POST', '/api/webhooks/sync-state/update', {
      json: { user_id: 41, device_id: device, last_event_id: 2, events_synced: 2 },
    });
    expect(updated.status).toBe(200);
    expect(updated.body.sync_state).toMatchObject({
      id: syncState.id,
      last_event_id: 2,
      sync_count: 1,
      total_events_synced: 2,
      last_sync_time: expect.any(String),
    });

    const stats = await call('GET', '/api/webhooks/sync-state/stats', {
      params: { user_id: '41', device_id: device, app_type: 'sales_app' },
    });
    expect(stats.status).toBe(200);
    const body = stats.body.stats as Record<string, unknown>;
    expect(
      typeProblems(
        body,
        {
          user_id: 'int',
          total_devices: 'int',
          active_devices: 'int',
          total_syncs: 'int',
          total_events_synced: 'int',
          last_sync_time: 'datetime|null',
          devices: 'list',
          by_app_type: 'object',
        },
        'stats',
      ),
    ).toEqual([]);
    expect(Object.keys(body.by_app_type as object).sort()).toEqual([
      'delivery_app',
      'manager_app',
      'mobile_app',
      'sales_app',
      'warehouse_app',
    ]);
  });

  it('answers what the document says to bad input on these paths', async () => {
    const unknownDevice = await call('POST', '/api/webhooks/sync-state/update', {
      json: { user_id: 41, device_id: 'never registered', last_event_id: 1 },
    });
    expect(unknownDevice.status).toBe(404);
    const shortDevice = await call('POST', '/api/webhooks/sync-state', {
      json: { user_id: 41, device_id: 'ab' },
    });
    expect(shortDevice.status).toBe(400);
    const noIds = await call('POST', '/api/webhooks/mark-processed', { json: { event_ids: [] } });
    expect(noIds.status).toBe(400);
  });

  /** BridgeCore's odoo_client: JSON-RPC on the add-on's models, as it calls them on Odoo. */
  async function rpc(path: '/jsonrpc' | '/web/dataset/call_kw', params: unknown, key?: string) {
    const response = await fetch(`${stack.url}${path}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...(key ? { 'X-API-Key': key } : {}) },
      body: JSON.stringify({ jsonrpc: '2.0', method: 'call', params, id: 1 }),
    });
    expect(response.status).toBe(200);
    // Parsed here: objects from fetch's own JSON parser are not this context's Arrays.
    return JSON.parse(await response.text()) as {
      result?: unknown;
      error?: { code: number; data: { name: string; message: string } };
    };
  }
  const executeKw = (model: string, method: string, args: unknown[], kwargs = {}) =>
    rpc('/jsonrpc', {
      service: 'object',
      method: 'execute_kw',
      args: ['odoo', 2, stack.apiKey, model, method, args, kwargs],
    });
  const callKw = (model: string, method: string, args: unknown[], kwargs = {}) =>
    rpc('/web/dataset/call_kw', { model, method, args, kwargs }, stack.apiKey);

  it("serves update.webhook and user.sync.state over Odoo's JSON-RPC, as the ORM answers", async () => {
    const domain = [
      ['id', '>', 0],
      ['is_archived', '=', false],
      ['model', 'in', ['res.partner']],
    ];
    const fields = [
      'id',
      'model',
      'record_id',
      'event',
      'payload',
      'timestamp',
      'user_id',
      'priority',
      'category',
      'changed_fields',
    ];
    const read = await executeKw('update.webhook', 'search_read', [domain], {
      fields,
      limit: 10,
      order: 'id asc',
    });
    const rows = read.result as Array<Record<string, unknown>>;
    expect(rows.length).toBeGreaterThanOrEqual(2);
    expect(rows[0]).toEqual({
      id: expect.any(Number),
      model: 'res.partner',
      record_id: expect.any(Number),
      event: 'create',
      payload: expect.objectContaining({ _metadata: expect.any(Object) }),
      timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/),
      user_id: expect.arrayContaining([expect.any(Number)]),
      priority: 'medium',
      category: 'business',
      changed_fields: expect.any(Array),
    });
    expect(rows.map((r) => r.id)).toEqual(
      [...rows.map((r) => r.id as number)].sort((a, b) => a - b),
    );
    const count = await callKw('update.webhook', 'search_count', [domain]);
    expect(count.result).toBe(rows.length);
    // A field the add-on's model does not have fails as Odoo fails it.
    const status = await executeKw('update.webhook', 'search_read', [domain], {
      fields: ['status'],
    });
    expect(status.error).toMatchObject({
      code: 200,
      data: { name: 'ValueError', message: expect.stringContaining("'status'") },
    });

    const state = await callKw('user.sync.state', 'get_or_create_state', [
      52,
      'rpc phone',
      'sales_app',
    ]);
    expect(state.result).toMatchObject({
      id: expect.any(Number),
      user_id: 52,
      device_id: 'rpc phone',
      last_event_id: 0,
    });
    const id = (state.result as { id: number }).id;
    const written = await callKw('user.sync.state', 'write', [
      [id],
      { last_event_id: 2, last_event_count: 2 },
    ]);
    expect(written.result).toBe(true);
    const after = await callKw(
      'user.sync.state',
      'search_read',
      [
        [
          ['user_id', '=', 52],
          ['device_id', '=', 'rpc phone'],
        ],
      ],
      {
        fields: ['id', 'user_id', 'last_event_id', 'sync_count', 'last_sync_time'],
      },
    );
    expect(after.result).toEqual([
      {
        id,
        user_id: [52, expect.any(String)],
        last_event_id: 2,
        sync_count: 1,
        last_sync_time: expect.any(String),
      },
    ]);
    // webhook.config: the tracked models with their feed priority and category (BridgeCore's
    // get_webhook_configs); writing it names the settings instead.
    const configs = await callKw('webhook.config', 'search_read', [[['active', '=', true]]], {
      fields: [
        'id',
        'name',
        'model_name',
        'model_id',
        'enabled',
        'priority',
        'category',
        'events',
        'batch_enabled',
        'batch_size',
        'active',
      ],
    });
    expect(configs.result).toEqual([
      expect.objectContaining({
        model_name: 'res.partner',
        enabled: true,
        priority: 'medium',
        category: 'business',
        events: 'create,write,unlink',
        model_id: false,
      }),
      expect.objectContaining({ model_name: 'sale.order', priority: 'high' }),
    ]);
    const configWrite = await callKw('webhook.config', 'write', [[1], { priority: 'low' }]);
    expect(configWrite.error).toMatchObject({
      data: { message: expect.stringContaining('FEED_PRIORITIES') },
    });
    const stats = await callKw('user.sync.state', 'get_sync_statistics', [52]);
    expect(stats.result).toMatchObject({ user_id: 52, total_devices: 1, total_syncs: 1 });
  });

  it("answers JSON-RPC errors in Odoo's shape: no key, a model it does not serve, a write it does not take", async () => {
    const noKey = await rpc('/web/dataset/call_kw', {
      model: 'update.webhook',
      method: 'search_count',
      args: [[]],
      kwargs: {},
    });
    expect(noKey.error).toMatchObject({
      code: 100,
      data: { message: expect.stringContaining('API key') },
    });
    const other = await callKw('res.partner', 'search_read', [[]]);
    expect(other.error).toMatchObject({
      code: 200,
      data: { message: expect.stringContaining('res.partner') },
    });
    const missing = await callKw('update.webhook', 'mark_as_synced_by_user', [[1], 52]);
    expect(missing.error).toMatchObject({
      data: {
        name: 'AttributeError',
        message: "The method 'mark_as_synced_by_user' does not exist on the model 'update.webhook'",
      },
    });
    const unlink = await callKw('update.webhook', 'unlink', [[1]]);
    expect(unlink.error).toMatchObject({ data: { name: 'odoo.exceptions.AccessError' } });
  });

  it('forwards every other call to the real Odoo at ODOO_URL, and serves the add-on models to sessions Odoo confirms', async () => {
    const odoo = new FakeOdoo();
    const port = await freePort();
    await stack.startAs('odoo-facing-api', 'api', {
      API_PORT: String(port),
      ODOO_URL: await odoo.start(),
    });
    const base = `http://127.0.0.1:${port}`;
    const post = async (path: string, params: unknown, cookie?: string) => {
      const response = await fetch(`${base}${path}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', ...(cookie ? { Cookie: cookie } : {}) },
        body: JSON.stringify({ jsonrpc: '2.0', method: 'call', params, id: 3 }),
      });
      return {
        status: response.status,
        cookie: response.headers.get('set-cookie'),
        body: JSON.parse(await response.text()) as { result?: unknown; error?: { code: number } },
      };
    };
    try {
      const page = await fetch(`${base}/web/login?redirect=%2Fodoo`);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('Odoo login');
      expect(odoo.seen.at(-1)).toMatchObject({
        path: '/web/login',
        headers: { 'x-forwarded-for': expect.any(String) },
      });

      const login = await post('/web/session/authenticate', {
        db: 'odoo',
        login: 'admin',
        password: 'admin',
      });
      expect(login.body.result).toMatchObject({ uid: 2 });
      const cookie = (login.cookie ?? '').split(';')[0];
      expect(cookie).toMatch(/^session_id=/);
      // Odoo's own models: forwarded with the caller's cookie and body, answered by Odoo.
      const partners = await post(
        '/web/dataset/call_kw/res.partner/search_read',
        { model: 'res.partner', method: 'search_read', args: [[]], kwargs: { fields: ['name'] } },
        cookie,
      );
      expect(partners.body.result).toEqual([{ id: 7, name: 'Azure Interior' }]);
      expect(odoo.seen.at(-1)).toMatchObject({ headers: { cookie } });
      expect(JSON.parse(odoo.seen.at(-1)!.body)).toMatchObject({
        params: { model: 'res.partner', method: 'search_read' },
      });
      const version = await post('/jsonrpc', { service: 'common', method: 'version', args: [] });
      expect(version.body.result).toEqual({ server_version: '17.0' });

      // The add-on's models, with no key but a session Odoo confirms: answered here.
      const before = odoo.seen.length;
      const feed = await post(
        '/web/dataset/call_kw',
        { model: 'update.webhook', method: 'search_count', args: [[]], kwargs: {} },
        cookie,
      );
      expect(feed.body.result).toEqual(expect.any(Number));
      expect(odoo.seen.slice(before).map((r) => r.path)).toEqual(['/web/session/get_session_info']);
      const stranger = await post(
        '/web/dataset/call_kw',
        { model: 'update.webhook', method: 'search_count', args: [[]], kwargs: {} },
        'session_id=not-a-session',
      );
      expect(stranger.body.error).toMatchObject({ code: 100 });
      // odoo-stream's own paths stay its own.
      expect((await fetch(`${base}/api/webhooks/health`)).status).toBe(200);
    } finally {
      await odoo.stop();
    }
    // Odoo gone: a clear answer, in each protocol's shape.
    const down = await fetch(`${base}/web/login`);
    expect(down.status).toBe(502);
    expect(await down.text()).toContain('ODOO_URL');
    const rpcDown = await post('/jsonrpc', { service: 'common', method: 'version', args: [] });
    expect(rpcDown).toMatchObject({ status: 200, body: { error: { code: 200 } } });
    await stack.stop('odoo-facing-api');
  });
});
