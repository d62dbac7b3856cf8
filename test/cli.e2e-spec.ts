import { execFile, spawn } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { FeedStack, insertPartner } from './support/feed-stack';

const run = promisify(execFile);
const CLI = join(__dirname, '..', 'dist', 'apps', 'cli', 'main.js');

type Line = {
  op: string;
  record_id: number;
  after: { name: string } | null;
  changed_fields: string[];
};

/** `odoo-stream events`: a person's look at the stream, against the real broker and registry. */
describe('the odoo-stream command: events', () => {
  let stack: FeedStack;

  beforeAll(async () => {
    stack = await FeedStack.create(['res.partner']);
    await stack.start('capture');
  });

  afterAll(async () => {
    await stack?.close();
  });

  const events = async (...args: string[]) => {
    const { stdout } = await run('node', [CLI, 'events', ...args], {
      env: { ...process.env, ...stack.env },
      timeout: 60_000,
    });
    return stdout
      .trim()
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Line);
  };
  const refused = (...args: string[]) =>
    run('node', [CLI, 'events', ...args], { env: { ...process.env, ...stack.env } }).then(
      () => ({ code: 0, stderr: '' }),
      (error: { code: number; stderr: string }) => ({ code: error.code, stderr: error.stderr }),
    );

  it("prints one record's changes as JSON lines, filtered by operation and limited", async () => {
    const id = await insertPartner(stack.odoo, 'CLI One');
    await stack.odoo.query(`UPDATE res_partner SET name = 'CLI One (renamed)' WHERE id = $1`, [id]);
    await insertPartner(stack.odoo, 'CLI Two');
    const lines = await stack.until(async () => {
      const found = await events('res.partner', '--record', String(id));
      return found.length === 2 ? found : undefined;
    }, 'the create and the write of the record');
    expect(lines.map((l) => [l.op, l.record_id, l.after?.name])).toEqual([
      ['create', id, 'CLI One'],
      ['write', id, 'CLI One (renamed)'],
    ]);
    expect(lines[1].changed_fields).toContain('name');
    expect(
      (await events('res.partner', '--record', String(id), '--op', 'write')).map((l) => l.op),
    ).toEqual(['write']);
    expect(await events('res.partner', '--limit', '1')).toHaveLength(1);
    const future = new Date(Date.now() + 3_600_000).toISOString();
    expect(await refused('res.partner', '--since', future)).toEqual({
      code: 2,
      stderr: `odoo-stream: --since ${future} is in the future\n`,
    });
    expect(await refused('sale.ordr')).toMatchObject({
      code: 2,
      stderr: expect.stringContaining("no topic for model 'sale.ordr'"),
    });
  });

  it('decodes a topic that holds two schema versions (a column added in Odoo)', async () => {
    const first = await insertPartner(stack.odoo, 'Before The Column');
    await stack.odoo.query(`ALTER TABLE res_partner ADD COLUMN x_loyalty varchar`);
    const { rows } = await stack.odoo.query(
      `INSERT INTO res_partner (name, active, type, write_uid, x_loyalty)
       VALUES ('After The Column', true, 'contact', 2, 'gold') RETURNING id`,
    );
    const second = Number(rows[0].id);
    const lines = await stack.until(async () => {
      const found = [
        ...(await events('res.partner', '--record', String(first))),
        ...(await events('res.partner', '--record', String(second))),
      ];
      return found.length === 2 ? found : undefined;
    }, 'both partners');
    const [old, added] = lines.map((l) => l.after as unknown as Record<string, unknown>);
    expect(old.name).toBe('Before The Column');
    expect(old).not.toHaveProperty('x_loyalty');
    expect(added).toMatchObject({ name: 'After The Column', x_loyalty: 'gold' });
  });

  it('follows new events until Ctrl-C', async () => {
    const child = spawn('node', [CLI, 'events', 'res.partner', '--op', 'create', '--follow'], {
      env: { ...process.env, ...stack.env },
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    await stack.until(
      async () => (out.includes('CLI Two') ? true : undefined),
      'the existing events',
    );
    await insertPartner(stack.odoo, 'CLI Follow');
    await stack.until(async () => (out.includes('CLI Follow') ? true : undefined), 'the new event');
    child.kill('SIGINT');
    expect(await exited).toBe(0);
  });

  it("lists odoo-stream's consumer groups with their state and lag, as a table or JSON", async () => {
    await stack.start('projector');
    type Consumer = {
      name: string;
      state: string;
      kafka_state: string;
      members: number;
      lag: number;
      last_commit_at: string | null;
    };
    const consumers = await stack.until(async () => {
      const { stdout } = await run('node', [CLI, 'consumers', '--json'], {
        env: { ...process.env, ...stack.env },
      });
      const list = JSON.parse(stdout) as Consumer[];
      const feed = list.find((c) => c.name === 'projector.feed');
      return feed && feed.kafka_state === 'Stable' && feed.lag === 0 ? list : undefined;
    }, 'the feed projection caught up');
    expect(consumers.map((c) => c.name)).toEqual(
      expect.arrayContaining(['projector.feed', 'projector.sync-state', 'projector.deliveries']),
    );
    expect(consumers.find((c) => c.name === 'projector.feed')).toMatchObject({
      members: 1,
      state: 'running',
      last_commit_at: expect.stringMatching(/^20\d\d-\d\d-\d\dT/),
    });
    const { stdout } = await run('node', [CLI, 'consumers'], {
      env: { ...process.env, ...stack.env },
    });
    expect(stdout).toMatch(
      /^projector\.feed\s+running\s+1 member\(s\)\s+lag 0\s+last commit 20\d\d-\d\d-\d\dT/m,
    );
  });
});
