import { Command, Option } from 'commander';
import { AppConfig } from '@odoo-stream/config';
import { RebuildRecord, ReplayRecord } from '@odoo-stream/events';
import { progressText } from '../replay/catch-up';
import { consumerTable } from '../replay/consumer-listing';
import { planView, ReplayPlanView } from '../replay/incident-operations';
import { describeTarget, parseReplayTarget, ReplayRefused } from '../replay/replay-target';
import { projectionNamed } from '../replay/consumer-catalog';
import { openOperations, osUser } from './cli-edges';

const out = (text: string) => process.stdout.write(text);

function seconds(text: string, option: string): number {
  const value = Number(text);
  if (!/^\d+(\.\d+)?$/.test(text) || value <= 0) {
    throw new ReplayRefused(`${option} '${text}' is not a positive number of seconds`);
  }
  return value;
}
const terminal = () => process.stderr.isTTY === true;

/** Progress on stderr: a bar redrawn on a terminal, a line every few seconds otherwise. */
function progressReporter() {
  let last = 0;
  return (text: string, final = false) => {
    if (terminal()) {
      process.stderr.write(`\r${text}${final ? '\n' : ''}`);
    } else if (final || Date.now() - last >= 2000) {
      last = Date.now();
      process.stderr.write(`${text}\n`);
    }
  };
}

function planTable(plan: ReplayPlanView): string {
  const lines = plan.partitions.map(
    (p) =>
      `  ${p.topic}/${p.partition}  current ${p.current ?? 'none'}  new ${p.next}  end ${p.end}` +
      (p.again !== '0' ? `  again ${p.again}` : '') +
      (p.skipped !== '0' ? `  skipped ${p.skipped}` : ''),
  );
  return (
    `${plan.consumer} (${plan.group}) ${plan.target}\n${lines.join('\n')}\n` +
    `${plan.again} event(s) processed again, ${plan.skipped} passed over\n`
  );
}

function recordLine(r: ReplayRecord | RebuildRecord): string {
  const moved = r.offsets.length;
  const what = r.type === 'replay' ? `replay ${r.target}` : `rebuild ${r.status}`;
  return `${r.at}  ${r.consumer.padEnd(28)} ${what.padEnd(40)} by ${r.by}  ${moved} partition(s)${r.reason ? `  "${r.reason}"` : ''}\n`;
}

/** consumers, replay, rebuild, replays. */
export function registerIncidentCommands(program: Command, cliConfig: () => AppConfig): void {
  program
    .command('consumers')
    .description(
      "odoo-stream's consumers: state (running, stopped, paused, rebuilding), members, lag per topic and partition, last commit",
    )
    .option('--json', 'one JSON document instead of the table')
    .action(async (options: { json?: boolean }) => {
      const { operations, close } = await openOperations(cliConfig());
      try {
        const consumers = await operations.consumers();
        out(options.json ? `${JSON.stringify(consumers, null, 2)}\n` : consumerTable(consumers));
      } finally {
        await close();
      }
    });

  program
    .command('replay')
    .description('Move a consumer to other offsets while it runs: plans first, --execute to do it')
    .argument(
      '<consumer>',
      'projector.feed | projector.sync-state | projector.deliveries | dispatcher.<subscriber name> | dispatcher.subscriber-<id>',
    )
    .addOption(new Option('--to-earliest', 'the oldest event kept'))
    .addOption(new Option('--to-latest', 'the end: skip everything not yet processed'))
    .addOption(new Option('--to-datetime <time>', 'the first event at or after this ISO 8601 time'))
    .addOption(new Option('--by-duration <duration>', 'this long ago (ISO 8601: PT30M, PT2H, P1D)'))
    .addOption(new Option('--to-offset <topic:partition:offset>', 'one partition to this offset'))
    .addOption(new Option('--shift-by <n>', 'each partition by n events (negative: back)'))
    .option('--topic <topic>', 'only this topic')
    .option('--model <model>', "only this model's topic (sale.order)")
    .option('--reason <text>', 'why: kept with the record of the replay')
    .option('--execute', 'do it (without it, only the plan is printed)')
    .option(
      '--new-delivery-ids',
      'subscribers: send with new webhook-ids (by default the first ones, so receivers deduplicate)',
    )
    .option('--no-wait', 'return once the consumer has resumed, without following it')
    .option(
      '--pause-timeout <seconds>',
      'how long running instances have to leave the group when asked to pause',
      '20',
    )
    .option('--json', 'the plan (and the record) as JSON')
    .addHelpText(
      'after',
      '\nThe consumer keeps running: its instances are paused through the control topic, the\n' +
        "offsets set with Kafka's admin API, the instances resumed. Exit codes: 0 done, 1 failed,\n" +
        '2 wrong usage, 3 refused (nothing changed).\n' +
        'Example: odoo-stream replay dispatcher.erp --to-datetime 2026-12-01T09:40:00Z --reason "ERP lost orders" --execute',
    )
    .action(async (name: string, options: Record<string, string | boolean | undefined>) => {
      const target = {
        toEarliest: options.toEarliest as boolean | undefined,
        toLatest: options.toLatest as boolean | undefined,
        toDatetime: options.toDatetime as string | undefined,
        byDuration: options.byDuration as string | undefined,
        toOffset: options.toOffset as string | undefined,
        shiftBy: options.shiftBy as string | undefined,
      };
      // Wrong options are refused before anything connects.
      parseReplayTarget(target);
      const pauseTimeoutMs = seconds(options.pauseTimeout as string, '--pause-timeout') * 1000;
      const { operations, close } = await openOperations(cliConfig());
      try {
        const plan = await operations.plan(name, target, {
          topic: options.topic as string | undefined,
          model: options.model as string | undefined,
        });
        const view = planView(plan, describeTarget(plan.target));
        if (!options.execute) {
          out(
            options.json
              ? `${JSON.stringify(view, null, 2)}\n`
              : `${planTable(view)}plan only: add --execute to do it\n`,
          );
          return;
        }
        if (!options.json) out(planTable(view));
        const record = await operations.replay(
          plan,
          {
            by: osUser(),
            at: new Date().toISOString(),
            reason: (options.reason as string) ?? null,
          },
          {
            newDeliveryIds: options.newDeliveryIds === true,
            pauseTimeoutMs,
          },
        );
        if (!options.json) out(`replay ${record.id}: offsets set, ${plan.consumer.name} resumed\n`);
        if (options.wait !== false) {
          const show = progressReporter();
          const stop = new Promise<void>((resolve) => process.once('SIGINT', () => resolve()));
          const progress = await operations.watch(
            record,
            (p) => show(progressText(p, terminal()), p.caughtUp),
            stop,
          );
          if (!options.json) {
            out(
              progress.caughtUp
                ? `caught up: ${progress.done} event(s)\n`
                : 'stopped following; the replay goes on\n',
            );
          }
        }
        if (options.json) out(`${JSON.stringify({ plan: view, record }, null, 2)}\n`);
      } finally {
        await close();
      }
    });

  program
    .command('rebuild')
    .description(
      'Build a projection again from the earliest offset into new tables while the current ones serve, then swap them',
    )
    .argument('<projection>', 'feed | sync-state | deliveries (or projector.feed, ...)')
    .option('--keep-old', 'keep the replaced tables in schema odoo_stream_replaced')
    .option('--reason <text>', 'why: kept with the record of the rebuild')
    .option('--json', 'the record as JSON')
    .addHelpText(
      'after',
      '\nReads the same environment as the projector (KAFKA_BROKERS, DATABASE_URL, ...).\n' +
        'The API and the projector keep running; /health/ready stays up.',
    )
    .action(
      async (name: string, options: { keepOld?: boolean; reason?: string; json?: boolean }) => {
        projectionNamed(name);
        const { operations, close } = await openOperations(cliConfig(), { projections: true });
        try {
          const show = progressReporter();
          const record = await operations.rebuild(
            name,
            { by: osUser(), at: new Date().toISOString(), reason: options.reason ?? null },
            {
              keepOld: options.keepOld === true,
              report: (phase, p) => show(`${phase}: ${progressText(p, terminal())}`),
            },
          );
          show('', true);
          out(
            options.json
              ? `${JSON.stringify(record, null, 2)}\n`
              : `rebuild ${record.id}: ${record.consumer} swapped in (${record.detail ?? 'the replaced tables were dropped'})\n`,
          );
        } finally {
          await close();
        }
      },
    );

  program
    .command('replays')
    .description('Every replay and rebuild recorded on the control topic: who, when, what, why')
    .option('--json', 'one JSON document instead of the lines')
    .action(async (options: { json?: boolean }) => {
      const { operations, close } = await openOperations(cliConfig());
      try {
        const history = await operations.history();
        if (options.json) out(`${JSON.stringify(history, null, 2)}\n`);
        else if (history.length === 0) out('no replay or rebuild recorded yet\n');
        else for (const r of history) out(recordLine(r));
      } finally {
        await close();
      }
    });
}
