/**
 * Incident recovery at scale: how fast `odoo-stream rebuild feed` fills a new copy of the feed
 * projection and swaps it in, and how long `odoo-stream replay projector.feed --shift-by -N
 * --execute` takes from the command to caught-up. Prints figures and ratios; asserts nothing.
 *
 *   npm run bench:recovery [-- <rows> [<replayed>]]      (default 1000000 and 100000)
 *
 * Method: a private Kafka broker and PostgreSQL cluster; the demo Odoo schema; capture,
 * projector and api as separate processes. <rows> partners are committed (1,000 per
 * transaction) and projected into the feed; then the rebuild runs as a user runs it (the
 * command line, a process of its own) while the projector and api keep running, and the clock
 * runs from the command's start to its exit (swap included). Then the replay, timed the same way.
 */
import { Client } from 'pg';
import { freePort } from '@odoo-stream/local-infra';
import { newApiKey } from '../apps/api/auth/api-keys';
import {
  benchDatabases,
  benchEnv,
  commitPartners,
  runBench,
  runCommandLine,
  startAppProcess,
  stopProcess,
  waitFor,
} from './bench-processes';

const rows = Number(process.argv[2] ?? 1_000_000);
const replayed = Number(process.argv[3] ?? 100_000);
/** The target of the performance issue: 50,000 events/s into the feed projection. */
const REBUILD_TARGET = 50_000;

runBench('incident-recovery', async (stack, progress) => {
  const { odooUrl, streamUrl } = await benchDatabases(stack);
  const odoo = new Client({ connectionString: odooUrl });
  const stream = new Client({ connectionString: streamUrl });
  const { entry } = newApiKey('bench');
  const env = benchEnv(
    stack,
    { odooUrl, streamUrl },
    {
      API_PORT: String(await freePort()),
      API_KEYS: entry,
    },
  );
  const apps: ReturnType<typeof startAppProcess>[] = [];
  const count = async () =>
    Number(
      (await stream.query<{ n: string }>('SELECT count(*) AS n FROM update_webhook')).rows[0].n,
    );
  try {
    await odoo.connect();
    for (const app of ['capture', 'projector', 'api']) apps.push(startAppProcess(app, env));
    progress('waiting for capture and the projector');
    await waitFor(async () => {
      await stream.connect().catch(() => undefined);
      await odoo.query(
        `INSERT INTO res_partner (name, active, write_uid) VALUES ('warm-up', true, 2)`,
      );
      await new Promise((r) => setTimeout(r, 500));
      return (await count().catch(() => 0)) > 0;
    }, 180_000);
    const warm = await count();
    progress(`committing ${rows} partners and projecting them`);
    await commitPartners(odoo, rows, 1000);
    let last = Date.now();
    await waitFor(async () => {
      const n = await count();
      if (Date.now() - last > 10_000) {
        progress(`projected ${n - warm}/${rows}`);
        last = Date.now();
      }
      return n >= warm + rows;
    }, 3_600_000);
    const total = await count();

    progress(`rebuilding the feed (${total} events) while the projector and api run`);
    const rebuildSeconds = await runCommandLine(
      env,
      ['rebuild', 'feed', '--reason', 'bench'],
      progress,
    );
    if ((await count()) !== total) throw new Error('the rebuilt feed does not hold every row');

    progress(`replaying the last ${replayed} events of projector.feed`);
    const replaySeconds = await runCommandLine(
      env,
      ['replay', 'projector.feed', '--shift-by', String(-replayed), '--execute'],
      progress,
    );
    const rate = total / rebuildSeconds;
    return [
      `incident-recovery: ${total} feed events (res.partner creates), projector and api running`,
      `  rebuild feed: ${total} events in ${rebuildSeconds.toFixed(1)} s = ${rate.toFixed(0)} events/s (command start to swapped)`,
      `  ratio to the 50,000 events/s target: ${(rate / REBUILD_TARGET).toFixed(2)}x`,
      `  replay projector.feed --shift-by -${replayed} --execute: caught up in ${replaySeconds.toFixed(1)} s = ${(replayed / replaySeconds).toFixed(0)} events/s (command start to caught up)`,
    ];
  } finally {
    await Promise.all(apps.map(stopProcess));
    await odoo.end().catch(() => undefined);
    await stream.end().catch(() => undefined);
  }
});
