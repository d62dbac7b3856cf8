import { Admin } from 'kafkajs';
import { DataSource } from 'typeorm';
import { modelTopics } from '@odoo-stream/events';
import { PROJECTIONS, ProjectionName } from '../projector/projection-catalog';
import { subscriberGroup } from '../dispatcher/subscriber-worker';
import { ReplayRefused } from './replay-target';

/** One consumer odoo-stream runs, by its stable name. */
export interface ConsumerEntry {
  /** `projector.feed`, `dispatcher.subscriber-3`. */
  name: string;
  group: string;
  /** The topics it reads now. */
  topics: string[];
  projection?: ProjectionName;
  subscriber?: { id: number; name: string };
}

const SUBSCRIBER = /^dispatcher\.(?:subscriber-(\d+)|(.+))$/;

/**
 * Finds a consumer by name: `projector.<projection>`, `dispatcher.subscriber-<id>` or
 * `dispatcher.<subscriber name>`. Unknown names are refused with the names there are.
 */
export async function findConsumer(
  name: string,
  admin: Admin,
  prefix: string,
  dataSource?: DataSource,
): Promise<ConsumerEntry> {
  const existing = await admin.listTopics();
  if (name.startsWith('projector.')) {
    const projection = name.slice('projector.'.length);
    if (projection in PROJECTIONS) {
      const p = projection as ProjectionName;
      return {
        name,
        group: `${prefix}.${name}`,
        topics: PROJECTIONS[p].topics(prefix, existing),
        projection: p,
      };
    }
  }
  const match = SUBSCRIBER.exec(name);
  if (match && !dataSource) {
    throw new ReplayRefused(
      `${name} names a webhook subscriber: set DATABASE_URL (the service database) as for the dispatcher`,
    );
  }
  if (match && dataSource) {
    const rows: Array<{ id: number; name: string }> = await dataSource.query(
      match[1]
        ? `SELECT id, name FROM webhook_subscriber WHERE id = $1`
        : `SELECT id, name FROM webhook_subscriber WHERE name = $1 ORDER BY id`,
      [match[1] ? Number(match[1]) : match[2]],
    );
    if (rows.length > 1) {
      throw new ReplayRefused(
        `${rows.length} subscribers are named '${match[2]}': use dispatcher.subscriber-<id> (${rows.map((r) => r.id).join(', ')})`,
      );
    }
    if (rows.length === 1) {
      const [{ n }] = await dataSource.query(
        `SELECT count(*)::int AS n FROM webhook_subscriber WHERE name = $1`,
        [rows[0].name],
      );
      return {
        // As `consumers` names it: by name when the name is unique.
        name: n === 1 ? `dispatcher.${rows[0].name}` : `dispatcher.subscriber-${rows[0].id}`,
        group: subscriberGroup(prefix, rows[0].id),
        topics: modelTopics(prefix, existing),
        subscriber: rows[0],
      };
    }
  }
  const projections = Object.keys(PROJECTIONS).map((p) => `projector.${p}`);
  throw new ReplayRefused(
    `unknown consumer '${name}': one of ${projections.join(', ')}, dispatcher.<subscriber name> or dispatcher.subscriber-<id>`,
  );
}

/** `feed`, `sync-state`, `deliveries`, or the same with `projector.` before it. */
export function projectionNamed(name: string): ProjectionName {
  const bare = name.replace(/^projector\./, '');
  if (!(bare in PROJECTIONS)) {
    throw new ReplayRefused(
      `unknown projection '${name}': one of ${Object.keys(PROJECTIONS).join(', ')}`,
    );
  }
  return bare as ProjectionName;
}
