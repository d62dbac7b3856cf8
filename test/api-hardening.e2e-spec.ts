import { ConfluentSchemaRegistry } from '@odoo-stream/schema-registry';
import { freePort } from '@odoo-stream/local-infra';
import { AppProcess } from './support/app-process';
import { FeedStack } from './support/feed-stack';
import { WebhookReceiver } from './support/webhook-receiver';

/** Every app as an operator runs it, logging at info: what reaches the logs is what is checked. */
describe('api hardening: no secret in any log line, no 500 on bad input, registry writes need a key', () => {
  let stack: FeedStack;
  let apps: AppProcess[] = [];
  const failing = new WebhookReceiver(() => ({ status: 500 }));
  const subscriberToken = 'sub-bearer-token-7f3a9c1e5b2d';
  const customHeaderValue = 'custom-credential-4e8d2a6f';

  beforeAll(async () => {
    stack = await FeedStack.create(['res.partner'], { DISPATCHER_SUBSCRIBER_REFRESH_MS: '300' });
    apps = ['capture', 'projector', 'dispatcher', 'api'].map((app) =>
      stack.spawn(app as 'api', { LOG_LEVEL: 'info' }),
    );
    await Promise.all(apps.map((a) => a.waitForLog(/^ready/)));
  });

  afterAll(async () => {
    if (process.env.DUMP_APP_LOGS) {
      const { writeFileSync } = await import('node:fs');
      apps.forEach((a, i) =>
        writeFileSync(`/tmp/hardening-${i}.log`, a.lines.map((l) => JSON.stringify(l)).join('\n')),
      );
    }
    await stack?.close();
    await failing.stop();
  });

  const admin = () => ({ 'X-API-Key': stack.adminKey });

  it("keeps API keys, tokens, cookies and subscriber credentials out of every app's log", async () => {
    const url = await failing.start();
    const subscriber = await stack.createSubscriber(
      {
        name: 'credentials',
        endpoint_url: url,
        auth_type: 'bearer',
        token: subscriberToken,
        custom_headers: { 'X-Partner-Token': customHeaderValue },
        retry_schedule: [1, 1],
      },
      { model: 'res.partner', events: ['create'] },
      { running: true },
    );
    const secrets = [stack.apiKey, stack.adminKey, subscriberToken, customHeaderValue];
    const key = stack.apiKey;
    await stack.http('GET', '/api/webhooks/pull?limit=5', undefined, { 'X-API-Key': key });
    await stack.http('GET', `/api/webhooks/pull?api_key=${key}`, undefined, {
      Authorization: `Bearer ${key}`,
      Cookie: `session=${key}`,
      'webhook-secret': key,
    });
    await stack.http('GET', '/api/webhooks/stats', undefined, { 'X-API-Key': 'wrong-key' });
    await stack.http('GET', `/api/subscribers/${subscriber.id}`, undefined, admin());
    await stack.http('POST', `/api/subscribers/${subscriber.id}/test`, undefined, admin());
    // The test request carried the subscriber's credentials; the dispatcher holds them too (its
    // worker for the subscriber runs, with the subscriber loaded).
    expect(failing.received[0].headers.authorization).toBe(`Bearer ${subscriberToken}`);
    expect(failing.received[0].headers['x-partner-token']).toBe(customHeaderValue);
    await apps[2].waitForLog(new RegExp(`^delivering to subscriber ${subscriber.id} `));
    await stack.until(
      async () =>
        apps[3].lines.some((l) => /\/api\/subscribers/.test(JSON.stringify(l))) ? true : undefined,
      'the request log lines',
    );
    const logged = apps.flatMap((a) => a.lines.map((l) => JSON.stringify(l)));
    expect(logged.some((l) => l.includes('/api/webhooks/pull'))).toBe(true);
    expect(logged.some((l) => l.includes('[redacted]'))).toBe(true);
    for (const secret of [...secrets, subscriber.secret]) {
      expect(logged.filter((l) => l.includes(secret))).toEqual([]);
    }
  }, 240_000);

  it.each([
    ['DELETE', '/api/subscribers/99999999999999999999'],
    ['GET', '/api/subscribers/0'],
    ['GET', '/api/subscribers/-1'],
    ['PATCH', '/api/subscribers/1.5'],
    ['GET', '/api/subscribers/abc/subscriptions'],
    ['DELETE', '/api/subscribers/1/subscriptions/99999999999999999999'],
    ['POST', '/api/subscribers/2147483648/recover?since=2026-01-01T00:00:00Z'],
    ['GET', '/api/subscribers/1;DROP/stats'],
    ['GET', '/api/deliveries?subscriber=99999999999'],
    ['GET', '/api/deliveries/msg_%00'],
    ['GET', '/api/webhooks/pull?last_event_id=99999999999999999999'],
  ])('answers %s %s with 400 and the reason, never 500', async (method, path) => {
    const headers = path.startsWith('/api/webhooks') ? { 'X-API-Key': stack.apiKey } : admin();
    const answer = await stack.http(method, path, method === 'PATCH' ? {} : undefined, headers);
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ error: true, message: expect.any(String) });
    expect(String(answer.body.message)).not.toMatch(/internal error/);
  });

  it('refuses a NUL character in device_info or app_version with 400, and stores nothing', async () => {
    for (const field of ['device_info', 'app_version']) {
      const answer = await stack.http('POST', '/api/webhooks/sync-state', {
        user_id: 7,
        device_id: 'nul-device',
        app_type: 'sales_app',
        [field]: 'Pixel\u00008',
      });
      expect(answer.status).toBe(400);
      expect(answer.body.message).toBe(`${field} must not contain a NUL character (\\u0000)`);
    }
    const rows = await stack.serviceQuery(
      `SELECT * FROM user_sync_state WHERE device_id = 'nul-device'`,
    );
    expect(rows).toEqual([]);
  });

  it('serves schema reads without a key and takes writes only with an admin key', async () => {
    const subject = 'hardening-test-value';
    const schema = JSON.stringify({
      type: 'record',
      name: 'Probe',
      fields: [{ name: 'id', type: 'long' }],
    });
    const json = { 'Content-Type': 'application/vnd.schemaregistry.v1+json' };
    const refused = await fetch(`${stack.url}/subjects/${subject}/versions`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ schema }),
    });
    expect(refused.status).toBe(401);
    expect(await refused.json()).toMatchObject({
      error_code: 401,
      message: expect.stringMatching(/admin key/),
    });
    const config = await fetch(`${stack.url}/config/${subject}`, {
      method: 'PUT',
      headers: json,
      body: JSON.stringify({ compatibility: 'NONE' }),
    });
    expect(config.status).toBe(401);
    expect((await fetch(`${stack.url}/subjects`)).status).toBe(200);
    expect(await (await fetch(`${stack.url}/subjects`)).json()).not.toContain(subject);

    // With the admin key: as X-API-Key, and as a Confluent client sends it (HTTP Basic).
    const accepted = await fetch(`${stack.url}/subjects/${subject}/versions`, {
      method: 'POST',
      headers: { ...json, 'X-API-Key': stack.adminKey },
      body: JSON.stringify({ schema }),
    });
    expect(accepted.status).toBe(200);
    const url = new URL(stack.url);
    url.username = 'capture';
    url.password = stack.adminKey;
    const client = new ConfluentSchemaRegistry(url.toString());
    const id = await client.register(`${subject}-2`, JSON.parse(schema));
    expect(await client.schemaById(id)).toMatchObject({ name: 'Probe' });
    const wrong = new URL(url);
    wrong.password = stack.apiKey;
    await expect(
      new ConfluentSchemaRegistry(wrong.toString()).register(`${subject}-3`, JSON.parse(schema)),
    ).rejects.toThrow();
  });

  it('needs the key for reads too with SCHEMA_REGISTRY_AUTH=all', async () => {
    const port = await freePort();
    await stack.startAs('closed-api', 'api', {
      API_PORT: String(port),
      SCHEMA_REGISTRY_AUTH: 'all',
    });
    const base = `http://127.0.0.1:${port}`;
    expect((await fetch(`${base}/subjects`)).status).toBe(401);
    expect((await fetch(`${base}/subjects`, { headers: admin() })).status).toBe(200);
    await stack.stop('closed-api');
  });

  it('makes and keeps a key and a token secret on the first start when the image has none set (Docker)', async () => {
    const { mkdtempSync, readFileSync, statSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dir = mkdtempSync(join(tmpdir(), 'odoo-stream-credentials-'));
    const port = String(await freePort());
    const env = {
      API_CREDENTIALS_DIR: dir,
      API_PORT: port,
      API_KEYS: '',
      ADMIN_API_KEYS: '',
      API_TOKEN_SECRET: '',
      LOG_LEVEL: 'info',
    };
    const start = async () => {
      const api = stack.spawn('api', env);
      await api.waitForLog(/^ready/);
      return api;
    };
    let api = await start();
    const key = readFileSync(join(dir, 'api-key'), 'utf8').trim();
    expect(statSync(join(dir, 'api-key')).mode & 0o777).toBe(0o600);
    const call = (path: string, headers: Record<string, string> = { 'X-API-Key': key }) =>
      fetch(`http://127.0.0.1:${port}${path}`, { headers }).then((r) => r.status);
    expect(await call('/api/webhooks/pull')).toBe(200);
    expect(await call('/api/subscribers')).toBe(200);
    expect(await call('/api/webhooks/pull', {})).toBe(401);
    expect(api.lines.some((l) => String(l.msg).includes(`${dir}/api-key`))).toBe(true);
    expect(JSON.stringify(api.lines)).not.toContain(key);
    // The same key after a restart; the token secret too.
    const secret = readFileSync(join(dir, 'api-token-secret'), 'utf8');
    await api.stop();
    api = await start();
    expect(await call('/api/webhooks/pull')).toBe(200);
    expect(readFileSync(join(dir, 'api-token-secret'), 'utf8')).toBe(secret);
    await api.stop();
  });

  it('says at start when a subscriber endpoint will be refused (private address without ALLOW_PRIVATE_ENDPOINTS)', async () => {
    const local = new WebhookReceiver();
    const created = await stack.createSubscriber(
      { name: 'on-this-host', endpoint_url: await local.start() },
      { model: 'res.partner', events: ['create'] },
      { running: false },
    );
    const strict = stack.spawn('dispatcher', {
      ALLOW_PRIVATE_ENDPOINTS: 'false',
      LOG_LEVEL: 'info',
    });
    try {
      await strict.waitForLog(
        new RegExp(
          `^subscriber ${created.id} \\(on-this-host\\): every delivery will be refused: endpoint host '127\\.0\\.0\\.1' resolves to a non-public address`,
        ),
      );
    } finally {
      await strict.stop();
      await local.stop();
    }
  });
});
