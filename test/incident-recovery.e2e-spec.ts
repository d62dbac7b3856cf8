import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { loadConfig } from '@odoo-stream/config';
import { createKafkaClient } from '@odoo-stream/kafka';
import { FeedStack, insertPartner } from './support/feed-stack';
import { WebhookReceiver } from './support/webhook-receiver';

const CLI = join(__dirname, '..', 'dist', 'apps', 'cli', 'main.js');

/** Every column, the ids included: a rebuild keeps the ids devices have seen. */
const FEED_CHECKSUM = `SELECT count(*)::int AS rows, md5(coalesce(string_agg(
  (id, event_id, model, record_id, event, payload, changed_fields, "timestamp", user_id, user_name,
   priority, category, is_processed, processed_at, processed_by, is_archived, archived_at,
   kafka_topic, kafka_partition, kafka_offset)::text, '|' ORDER BY event_id), '')) AS sum
  FROM update_webhook`;
const SYNC_CHECKSUM = `SELECT count(*)::int AS rows,
  md5(coalesce(string_agg(s::text, '|' ORDER BY id), '')) AS sum FROM user_sync_state s`;

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

interface ConsumerJson {
  name: string;
  state: string;
  members: number;
  lag: number;
  partitions: Array<{ topic: string; partition: number; committed: string }>;
}

describe('incident recovery: odoo-stream replay, rebuild and replays while everything runs', () => {
  let stack: FeedStack;
  const receivers: WebhookReceiver[] = [];

  beforeAll(async () => {
    stack = await FeedStack.create(['res.partner'], {
      DISPATCHER_SUBSCRIBER_REFRESH_MS: '300',
      API_RATE_LIMIT_PER_MINUTE: '1000000',
    });
    await stack.start('capture', 'projector', 'dispatcher', 'api');
  });

  afterAll(async () => {
    await stack?.close();
    await Promise.all(receivers.map((r) => r.stop()));
  });

  const cli = (...args: string[]): Promise<Result> =>
    promisify(execFile)('node', [CLI, ...args], {
      env: { ...process.env, ...stack.env, LOG_LEVEL: 'warn' },
      timeout: 180_000,
    }).then(
      ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
      (error: Result) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr }),
    );

  async function consumers(): Promise<ConsumerJson[]> {
    const { stdout, code, stderr } = await cli('consumers', '--json');
    if (code !== 0) throw new Error(`consumers failed: ${stderr}`);
    return JSON.parse(stdout) as ConsumerJson[];
  }

  const consumer = async (name: string) => (await consumers()).find((c) => c.name === name);

  async function caughtUp(name: string): Promise<void> {
    await stack.until(async () => {
      const c = await consumer(name);
      return c && c.lag === 0 && c.members > 0 ? true : undefined;
    }, `${name} running and caught up`);
  }

  async function partners(n: number, label: string): Promise<number[]> {
    const ids: number[] = [];
    for (let i = 0; i < n; i++) ids.push(await insertPartner(stack.odoo, `${label} ${i}`));
    return ids;
  }

  /** A moment between two batches of changes, by Kafka's timestamps (commit times). */
  async function boundary(): Promise<string> {
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const mark = new Date().toISOString();
    await new Promise((resolve) => setTimeout(resolve, 1100));
    return mark;
  }

  it('replays projector.feed to a time while the projector runs: exactly the events since then, the table unchanged', async () => {
    await partners(10, 'Before');
    const mark = await boundary();
    await partners(8, 'After');
    await stack.until(
      async () => ((await stack.feedRows()).length === 18 ? true : undefined),
      '18 feed rows',
    );
    await caughtUp('projector.feed');
    const before = (await stack.serviceQuery(FEED_CHECKSUM))[0];
    const committedBefore = (await consumer('projector.feed'))?.partitions;

    // The plan changes nothing.
    const planned = await cli('replay', 'projector.feed', '--to-datetime', mark, '--json');
    expect(planned.code).toBe(0);
    const plan = JSON.parse(planned.stdout) as { again: string; partitions: unknown[] };
    expect(plan.again).toBe('8');
    expect((await consumer('projector.feed'))?.partitions).toEqual(committedBefore);

    const executed = await cli(
      'replay',
      'projector.feed',
      '--to-datetime',
      mark,
      '--reason',
      'feed rows looked wrong',
      '--execute',
    );
    expect(executed).toMatchObject({ code: 0 });
    expect(executed.stdout).toMatch(/8 event\(s\) processed again/);
    expect(executed.stdout).toMatch(/caught up: 8 event\(s\)/);
    expect((await stack.serviceQuery(FEED_CHECKSUM))[0]).toEqual(before);
    await caughtUp('projector.feed');

    // Recorded on the control topic: who, when, what, why.
    const { stdout } = await cli('replays', '--json');
    const records = JSON.parse(stdout) as Array<Record<string, unknown>>;
    expect(records.at(-1)).toMatchObject({
      type: 'replay',
      consumer: 'projector.feed',
      target: `to-datetime ${mark}`,
      reason: 'feed rows looked wrong',
      by: expect.stringMatching(/^cli:/),
    });
    const offsets = records.at(-1)?.offsets as Array<{ before: string; after: string }>;
    expect(offsets.reduce((n, o) => n + Number(o.before) - Number(o.after), 0)).toBe(8);
    expect((await cli('replays')).stdout).toMatch(/projector\.feed\s+replay to-datetime/);
  });

  it('rebuilds the feed and sync-state while a client pulls in a tight loop: no error, no skipped id, the same rows and ids', async () => {
    const known = (await stack.feedRows()).length;
    await partners(12, 'Rebuilt');
    await stack.until(
      async () => ((await stack.feedRows()).length >= known + 12 ? true : undefined),
      '12 more feed rows',
    );
    const rows = await stack.feedRows();
    await stack.http('POST', '/api/webhooks/mark-processed', {
      event_ids: rows.slice(0, 3).map((r) => Number(r.id)),
    });
    for (const device of ['tablet-a', 'tablet-b']) {
      await stack.http(
        'GET',
        `/api/webhooks/sync-state?user_id=3&device_id=${device}&app_type=sales_app`,
      );
      await stack.http('POST', '/api/webhooks/sync-state/update', {
        user_id: 3,
        device_id: device,
        last_event_id: Number(rows[5].id),
        events_synced: 6,
      });
    }
    await caughtUp('projector.feed');
    await caughtUp('projector.sync-state');
    const feedBefore = (await stack.serviceQuery(FEED_CHECKSUM))[0];
    const syncBefore = (await stack.serviceQuery(SYNC_CHECKSUM))[0];
    const eventIdsBefore = (await stack.feedRows()).map((r) => r.event_id as string);

    // A client paging in a tight loop, and new changes arriving, all through both rebuilds.
    let running = true;
    const failures: string[] = [];
    const seen = new Set<number>();
    let cursor = 0;
    const reader = (async () => {
      while (running) {
        const pulled = await stack.http<{ events: Array<{ id: number }>; last_id: number }>(
          'GET',
          `/api/webhooks/pull?last_event_id=${cursor}&limit=5`,
        );
        const ready = await fetch(`${stack.url}/health/ready`);
        if (pulled.status !== 200) failures.push(`pull ${pulled.status}`);
        if (ready.status !== 200) failures.push(`ready ${ready.status}`);
        for (const e of pulled.body.events ?? []) {
          if (e.id <= cursor) failures.push(`id ${e.id} at or below the cursor ${cursor}`);
          seen.add(e.id);
        }
        cursor = pulled.body.last_id ?? cursor;
      }
    })();
    const writer = (async () => {
      for (let i = 0; running && i < 40; i++) {
        await insertPartner(stack.odoo, `During ${i}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    })();

    const feed = await cli('rebuild', 'feed', '--reason', 'feed corrupted');
    expect(feed).toMatchObject({ code: 0 });
    expect(feed.stdout).toMatch(/rebuild .*: projector\.feed swapped in/);
    const sync = await cli('rebuild', 'projector.sync-state');
    expect(sync).toMatchObject({ code: 0 });
    await writer;
    await caughtUp('projector.feed');
    const total = (await stack.feedRows('NOT is_processed')).length;
    await stack.until(
      async () => (seen.size >= total ? true : undefined),
      'the client to read every row',
    );
    running = false;
    await reader;

    expect(failures).toEqual([]);
    // Every unprocessed row the table holds now reached the client: nothing skipped.
    const missed = (await stack.feedRows('NOT is_processed'))
      .map((r) => Number(r.id))
      .filter((id) => !seen.has(id));
    expect(missed).toEqual([]);
    // The rows that were there before come back identical, ids included.
    const again = await stack.serviceQuery(
      FEED_CHECKSUM.replace('FROM update_webhook', 'FROM update_webhook WHERE event_id = ANY($1)'),
      [eventIdsBefore],
    );
    expect(again[0]).toEqual(feedBefore);
    expect((await stack.serviceQuery(SYNC_CHECKSUM))[0]).toEqual(syncBefore);
    // The copies and the replaced tables are gone; the rebuilds are recorded.
    const schemas = await stack.serviceQuery(
      `SELECT nspname FROM pg_namespace WHERE nspname LIKE 'odoo_stream_%'`,
    );
    expect(schemas).toEqual([]);
    const records = JSON.parse((await cli('replays', '--json')).stdout) as Array<{
      type: string;
      status?: string;
      consumer: string;
    }>;
    expect(
      records.filter((r) => r.type === 'rebuild').map((r) => `${r.consumer} ${r.status}`),
    ).toEqual([
      'projector.feed started',
      'projector.feed swapped',
      'projector.sync-state started',
      'projector.sync-state swapped',
    ]);
  });

  it('replays one subscriber from a time: it gets exactly those events again with their webhook-ids, nobody else does', async () => {
    const a = new WebhookReceiver();
    const b = new WebhookReceiver();
    receivers.push(a, b);
    const subscription = { model: 'res.partner', events: ['create'] };
    const erp = await stack.createSubscriber(
      { name: 'erp-connector', endpoint_url: await a.start() },
      subscription,
      { running: true },
    );
    await stack.createSubscriber({ name: 'crm', endpoint_url: await b.start() }, subscription, {
      running: true,
    });
    await partners(3, 'Hook before');
    const mark = await boundary();
    const after = await partners(4, 'Hook after');
    const recordOf = (h: { json: Record<string, unknown> }) =>
      Number((h.json.data as { record_id?: number } | undefined)?.record_id ?? h.json.record_id);
    await stack.until(
      async () => (a.received.length >= 7 && b.received.length >= 7 ? true : undefined),
      'both receivers to get the 7 partners',
    );
    await stack.until(async () => {
      const [{ sent }] = await stack.serviceQuery(
        `SELECT count(*)::int AS sent FROM webhook_delivery WHERE subscriber_id = $1 AND status = 'sent'`,
        [erp.id],
      );
      return sent === 7 ? true : undefined;
    }, 'the delivery log to show 7 sent');
    const firstIds = new Map(
      a.received
        .filter((h) => after.includes(recordOf(h)))
        .map((h) => [recordOf(h), h.headers['webhook-id']]),
    );
    expect(firstIds.size).toBe(4);
    const bBefore = b.received.length;

    const replay = await cli(
      'replay',
      'dispatcher.erp-connector',
      '--to-datetime',
      mark,
      '--reason',
      'ERP lost its orders',
      '--execute',
    );
    expect(replay).toMatchObject({ code: 0 });
    await stack.until(async () => (a.received.length >= 11 ? true : undefined), '4 re-sent');
    const resent = a.received.slice(7);
    expect(resent.map(recordOf).sort()).toEqual([...after].sort());
    for (const hook of resent)
      expect(hook.headers['webhook-id']).toBe(firstIds.get(recordOf(hook)));
    // The delivery log shows them as replayed.
    const record = (
      JSON.parse((await cli('replays', '--json')).stdout) as Array<{ id: string }>
    ).at(-1);
    await stack.until(async () => {
      const rows = await stack.serviceQuery(
        `SELECT record_id::int FROM webhook_delivery WHERE subscriber_id = $1 AND replay_id = $2 AND status = 'sent'`,
        [erp.id, record?.id],
      );
      return rows.length === 4 ? true : undefined;
    }, 'the delivery log to show 4 replayed deliveries');
    const logged = await stack.http<{ data: Array<{ replay_id: string | null }> }>(
      'GET',
      `/api/deliveries?subscriber=${erp.id}&limit=100`,
      undefined,
      { 'X-API-Key': stack.adminKey },
    );
    expect(logged.body.data.filter((d) => d.replay_id === record?.id)).toHaveLength(4);

    // With new webhook-ids when asked.
    const fresh = await cli(
      'replay',
      'dispatcher.erp-connector',
      '--to-datetime',
      mark,
      '--new-delivery-ids',
      '--execute',
    );
    expect(fresh).toMatchObject({ code: 0 });
    await stack.until(async () => (a.received.length >= 15 ? true : undefined), '4 more');
    for (const hook of a.received.slice(11)) {
      expect(hook.headers['webhook-id']).not.toBe(firstIds.get(recordOf(hook)));
    }
    // The other subscriber got nothing more, and nothing arrived twice beyond the replays.
    await caughtUp('dispatcher.erp-connector');
    expect((await consumer('dispatcher.crm'))?.members).toBe(1);
    expect(b.received.length).toBe(bBefore);
    expect(a.received).toHaveLength(15);
  });

  it('refuses to move a consumer when a member does not pause, naming it, and changes nothing', async () => {
    const config = loadConfig(stack.env, ['api']);
    const kafka = createKafkaClient({
      ...config,
      kafka: { ...config.kafka, clientId: 'old-projector' },
    });
    const old = kafka.consumer({ groupId: `${stack.prefix}.projector.deliveries` });
    await old.connect();
    await old.subscribe({
      topic: `${stack.prefix}.stream.delivery-attempts`,
      fromBeginning: false,
    });
    await old.run({ eachMessage: async () => undefined });
    try {
      await stack.until(async () => {
        const c = await consumer('projector.deliveries');
        return c && c.members >= 1 && c.state === 'running' ? true : undefined;
      }, 'the old member in the group');
      const before = (await consumer('projector.deliveries'))?.partitions;
      const refused = await cli(
        'replay',
        'projector.deliveries',
        '--to-earliest',
        '--execute',
        '--pause-timeout',
        '5',
      );
      expect(refused.code).toBe(3);
      expect(refused.stderr).toMatch(/did not leave when asked to pause: old-projector@/);
      expect(refused.stderr).toMatch(/nothing was changed/);
      expect((await consumer('projector.deliveries'))?.partitions).toEqual(before);
    } finally {
      await old.disconnect();
    }
    // The projector's own instance was resumed.
    await caughtUp('projector.deliveries');
  });

  it('refuses what cannot be done with one line and a non-zero exit, changing nothing', async () => {
    const before = await consumers();
    const topic = (await consumer('projector.feed'))?.partitions.find((p) =>
      p.topic.endsWith('.res.partner'),
    )?.topic as string;
    const future = new Date(Date.now() + 3_600_000).toISOString();
    const cases: Array<[string[], RegExp]> = [
      [
        ['replay', 'projector.nope', '--to-earliest'],
        /unknown consumer 'projector\.nope': one of projector\.feed/,
      ],
      [['replay', 'projector.feed', '--to-datetime', future, '--execute'], /is in the future/],
      [
        ['replay', 'projector.feed', '--to-datetime', '2001-01-01T00:00:00Z', '--execute'],
        /is before the earliest retained event \(20\d\d-/,
      ],
      [
        ['replay', 'projector.feed', '--to-offset', `${topic}:0:999999`, '--execute'],
        /out of range: the partition holds 0 to \d+/,
      ],
      [
        ['replay', 'projector.sync-state', '--topic', topic, '--to-earliest', '--execute'],
        /does not read/,
      ],
      [['replay', 'projector.feed', '--to-earliest', '--to-latest'], /give exactly one of/],
      [['replay', 'projector.feed', '--by-duration', '90 minutes'], /not an ISO 8601 duration/],
      [['rebuild', 'feeds'], /unknown projection 'feeds'/],
    ];
    for (const [args, message] of cases) {
      const result = await cli(...args);
      expect({ args, code: result.code }).toEqual({ args, code: 3 });
      expect(result.stderr).toMatch(message);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
    }
    // A rebuild while another runs.
    const holder = new Client({ connectionString: stack.serviceUrl });
    await holder.connect();
    try {
      await holder.query('SELECT pg_advisory_lock(7346221021)');
      const second = await cli('rebuild', 'feed');
      expect(second.code).toBe(3);
      expect(second.stderr).toMatch(/a rebuild is already running/);
    } finally {
      await holder.end();
    }
    const after = await consumers();
    const offsets = (list: ConsumerJson[]) =>
      list.map((c) => [c.name, c.partitions.map((p) => [p.topic, p.partition, p.committed])]);
    expect(offsets(after)).toEqual(offsets(before));
    // Thirteen runs of the command, each a process that connects to Kafka: on a loaded machine
    // (load average 17 seen) each can take 10 s or more.
  }, 420_000);

  it('does the same through the API under the admin key: consumers, replay plan and execute, rebuild, records', async () => {
    const admin = { 'X-API-Key': stack.adminKey };
    await partners(4, 'API');
    await stack.until(
      async () =>
        (await stack.feedRows("payload->>'name' LIKE 'API %'")).length === 4 ? true : undefined,
      '4 partners in the feed',
    );
    await caughtUp('projector.feed');
    expect((await stack.http('GET', '/api/consumers')).status).toBe(401);
    expect(
      (await stack.http('GET', '/api/consumers', undefined, { 'X-API-Key': stack.apiKey })).status,
    ).toBe(401);
    const listed = await stack.http<Array<{ name: string; state: string }>>(
      'GET',
      '/api/consumers',
      undefined,
      admin,
    );
    expect(listed.status).toBe(200);
    expect(listed.body.find((c) => c.name === 'projector.feed')).toMatchObject({
      state: 'running',
    });

    const planned = await stack.http<{ plan: { again: string }; record?: unknown }>(
      'POST',
      '/api/replays',
      { consumer: 'projector.feed', shift_by: '-3' },
      admin,
    );
    expect(planned.status).toBe(200);
    expect(planned.body.record).toBeUndefined();
    expect(Number(planned.body.plan.again)).toBeGreaterThanOrEqual(3);

    const executed = await stack.http<{ record: { id: string; by: string; reason: string } }>(
      'POST',
      '/api/replays',
      { consumer: 'projector.feed', shift_by: '-3', execute: true, reason: 'API check' },
      admin,
    );
    expect(executed.status).toBe(200);
    expect(executed.body.record).toMatchObject({ by: 'key:operator', reason: 'API check' });
    await caughtUp('projector.feed');

    const unknown = await stack.http(
      'POST',
      '/api/replays',
      { consumer: 'nobody', to_earliest: true },
      admin,
    );
    expect(unknown).toMatchObject({
      status: 400,
      body: { message: expect.stringMatching(/unknown consumer 'nobody'/) },
    });
    const bad = await stack.http(
      'POST',
      '/api/replays',
      { consumer: 'projector.feed', shift_by: 'x' },
      admin,
    );
    expect(bad.status).toBe(400);

    const feedBefore = (await stack.serviceQuery(FEED_CHECKSUM))[0];
    const holder = new Client({ connectionString: stack.serviceUrl });
    await holder.connect();
    try {
      await holder.query('SELECT pg_advisory_lock(7346221021)');
      const busy = await stack.http('POST', '/api/rebuilds', { projection: 'feed' }, admin);
      expect(busy).toMatchObject({
        status: 409,
        body: { message: expect.stringMatching(/already running/) },
      });
    } finally {
      await holder.end();
    }
    const started = await stack.http<{ id: string; status: string }>(
      'POST',
      '/api/rebuilds',
      { projection: 'deliveries', reason: 'API rebuild' },
      admin,
    );
    expect(started).toMatchObject({ status: 202, body: { status: 'started' } });
    await stack.until(async () => {
      const records = await stack.http<Array<{ id: string; status: string }>>(
        'GET',
        '/api/rebuilds',
        undefined,
        admin,
      );
      return records.body.some((r) => r.id === started.body.id && r.status === 'swapped')
        ? true
        : undefined;
    }, 'the rebuild swapped in');
    const history = await stack.http<Array<{ id: string }>>(
      'GET',
      '/api/replays',
      undefined,
      admin,
    );
    expect(history.body.map((r) => r.id)).toEqual(
      expect.arrayContaining([executed.body.record.id, started.body.id]),
    );
    expect((await stack.serviceQuery(FEED_CHECKSUM))[0]).toEqual(feedBefore);
  });
});
