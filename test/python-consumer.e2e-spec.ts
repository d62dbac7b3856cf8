import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { internalTopic, modelTopic } from '@odoo-stream/events';
import { FeedStack, insertPartner } from './support/feed-stack';
import { testKafkaBrokers } from './support/test-stack';

const run = promisify(execFile);

/** A line the example prints: an event it read, or the acknowledgement it wrote. */
type ExampleLine = {
  event: { op: string; after: { name: string } };
  acknowledged?: string;
  last_event_id?: number;
};
/** Debian's Python, where python3-confluent-kafka and python3-avro are installed. */
const PYTHON = '/usr/bin/python3';
const EXAMPLE = join(__dirname, '..', 'examples', 'python', 'consume_model_topic.py');

/** examples/python: a Python service reading a model topic and acknowledging a device's sync. */
describe('the Python example consumer (confluent-kafka, against the real broker and registry)', () => {
  let stack: FeedStack;
  let topic: string;

  beforeAll(async () => {
    stack = await FeedStack.create(['res.partner']);
    await stack.start('capture', 'projector', 'api');
    topic = modelTopic(stack.prefix, new URL(stack.odooUrl).pathname.slice(1), 'res.partner');
  });

  afterAll(async () => {
    await stack?.close();
  });

  const example = async (...args: string[]) => {
    const { stdout } = await run(
      PYTHON,
      [
        EXAMPLE,
        '--brokers',
        testKafkaBrokers(),
        '--registry',
        stack.url,
        '--topic',
        topic,
        ...args,
      ],
      { timeout: 120_000 },
    );
    return stdout
      .trim()
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as ExampleLine);
  };

  it('decodes the Avro events with the registry, keeps its own offsets, and acknowledges a sync', async () => {
    const device = await stack.http<{ sync_state: { id: number } }>(
      'POST',
      '/api/webhooks/sync-state',
      { user_id: 9, device_id: 'python device', app_type: 'mobile_app' },
    );
    expect(device.status).toBe(200);
    for (const name of ['Py One', 'Py Two', 'Py Three']) await insertPartner(stack.odoo, name);
    const rows = await stack.until(async () => {
      const found = await stack.feedRows(`payload->>'name' LIKE 'Py %'`);
      return found.length === 3 ? found : undefined;
    }, 'the three rows in the feed');
    const lastFeedId = Number(rows[2].id);

    // Every partner once: the demo users' partners as snapshot reads, then the three creates.
    const {
      rows: [{ n }],
    } = await stack.odoo.query<{ n: number }>('SELECT count(*)::int AS n FROM res_partner');
    const first = await example(
      '--group',
      'python-example',
      '--max-events',
      String(n),
      '--acks-topic',
      internalTopic(stack.prefix, 'sync-acks'),
      '--ack-device',
      '9/python device',
      '--ack-last-event-id',
      String(lastFeedId),
    );
    expect(first).toHaveLength(n + 1);
    expect(
      first.filter((l) => l.event?.op === 'create').map((l) => [l.event.op, l.event.after.name]),
    ).toEqual([
      ['create', 'Py One'],
      ['create', 'Py Two'],
      ['create', 'Py Three'],
    ]);
    expect(first[n]).toEqual({ acknowledged: '9/python device', last_event_id: lastFeedId });

    // The projector applies the Python service's acknowledgement like the api's own.
    const state = await stack.until(async () => {
      const answer = await stack.http<{ sync_state: Record<string, unknown> }>(
        'POST',
        '/api/webhooks/sync-state',
        { user_id: 9, device_id: 'python device', app_type: 'mobile_app' },
      );
      return answer.body.sync_state.sync_count === 1 ? answer.body.sync_state : undefined;
    }, 'the acknowledgement applied');
    expect(state).toMatchObject({
      id: device.body.sync_state.id,
      last_event_id: lastFeedId,
      last_sync_time: expect.any(String),
    });

    // Its committed offsets: a second run reads only what came after.
    await insertPartner(stack.odoo, 'Py Four');
    const second = await example('--group', 'python-example', '--max-events', '1');
    expect(second.map((l) => l.event.after.name)).toEqual(['Py Four']);
  });

  it('says what is wrong with its arguments', async () => {
    await expect(
      run(PYTHON, [EXAMPLE, '--topic', topic, '--group', 'g', '--ack-device', '9/x']),
    ).rejects.toMatchObject({
      stderr: expect.stringContaining('--ack-device needs --acks-topic and --ack-last-event-id'),
    });
  });
});
