import { Client } from 'pg';
import { FeedStack } from './support/feed-stack';

const WRITERS = 4;
const TRANSACTIONS_PER_WRITER = 300;

describe('feed cursor: gapless under concurrent writers and several projectors', () => {
  let stack: FeedStack;

  beforeAll(async () => {
    stack = await FeedStack.create(['res.partner', 'crm.lead'], { CAPTURE_TOPIC_PARTITIONS: '4' });
    await stack.start('capture', 'api');
    const projectors = [
      stack.spawn('projector', { LOG_LEVEL: 'info' }),
      stack.spawn('projector', { LOG_LEVEL: 'info' }),
    ];
    for (const p of projectors) await p.waitForLog(/^projector running/);
  });

  afterAll(async () => {
    await stack?.close();
  });

  it('never shows a reader that has read up to N a new row with an id at or below N', async () => {
    const total = WRITERS * TRANSACTIONS_PER_WRITER;
    const writers = Array.from({ length: WRITERS }, async (_, w) => {
      const client = new Client({ connectionString: stack.odooUrl });
      await client.connect();
      try {
        for (let i = 0; i < TRANSACTIONS_PER_WRITER; i++) {
          // Several models, so several topics and partitions feed the table at once.
          if (i % 3 === 2) {
            await client.query(
              `INSERT INTO crm_lead (name, type, active, create_uid, write_uid) VALUES ($1, 'lead', true, 2, 2)`,
              [`lead ${w}-${i}`],
            );
          } else {
            await client.query(
              `INSERT INTO res_partner (name, active, type, write_uid) VALUES ($1, true, 'contact', 2)`,
              [`partner ${w}-${i}`],
            );
          }
        }
      } finally {
        await client.end();
      }
    });

    // A client paging in a tight loop, as a mobile back end does.
    const seen = new Set<number>();
    let cursor = 0;
    let pulls = 0;
    const deadline = Date.now() + 120_000;
    const reader = (async () => {
      while (seen.size < total && Date.now() < deadline) {
        const { body } = await stack.http<{ events: Array<{ id: number }>; last_id: number }>(
          'GET',
          `/api/webhooks/pull?last_event_id=${cursor}&limit=1000`,
        );
        pulls++;
        for (const e of body.events) {
          expect(e.id).toBeGreaterThan(cursor);
          seen.add(e.id);
        }
        cursor = body.last_id;
      }
    })();
    await Promise.all([...writers, reader]);

    const all = (await stack.feedRows()).map((r) => Number(r.id));
    expect(all).toHaveLength(total);
    const missed = all.filter((id) => !seen.has(id));
    expect({ missed: missed.slice(0, 10), count: missed.length }).toEqual({ missed: [], count: 0 });
    expect(pulls).toBeGreaterThan(10);
    // Both projector instances took part (the partitions were shared between them).
    const partitions = await stack.serviceQuery(
      `SELECT DISTINCT kafka_topic, kafka_partition FROM update_webhook`,
    );
    expect(partitions.length).toBeGreaterThan(4);
  });
});
