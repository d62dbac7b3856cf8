import { ProjectionTable } from '@odoo-stream/db';
import { internalTopic, modelTopics } from '@odoo-stream/events';

export interface ProjectionEntry {
  /** The topics the projection reads, chosen from those that exist. */
  topics(prefix: string, existing: string[]): string[];
  /** The tables it fills: recreated when missing, emptied by a rebuild. */
  tables: ProjectionTable[];
  /** Empties the tables for a rebuild (positions are cleared separately). */
  truncate: string;
}

/**
 * What each projection reads and owns: shared by the projector and the replay command, so a
 * rebuild empties exactly the tables the projection fills.
 */
/** Models the Telegram projection always reads: orders for /orders and notifications, partners' languages. */
export const TELEGRAM_MODELS = ['sale.order', 'res.partner'];

export const PROJECTIONS: Record<
  'feed' | 'sync-state' | 'deliveries' | 'telegram' | 'events',
  ProjectionEntry
> = {
  feed: {
    // Every model topic `<prefix>.<db>.<model>`, and the mark-processed acknowledgements.
    topics: (prefix, existing) => [
      ...modelTopics(prefix, existing),
      ...existing.filter((t) => t === internalTopic(prefix, 'feed-acks')),
    ],
    // The id sequence is not restarted: rebuilt rows get ids above every id a client has seen,
    // so a device's checkpoint never skips them.
    tables: ['update_webhook', 'feed_processed'],
    truncate: 'TRUNCATE update_webhook, feed_processed',
  },
  'sync-state': {
    topics: (prefix, existing) => existing.filter((t) => t === internalTopic(prefix, 'sync-acks')),
    tables: ['user_sync_state'],
    // Not restarted either: a device keeps the id the api answered (its registration carries it).
    truncate: 'TRUNCATE user_sync_state',
  },
  deliveries: {
    topics: (prefix, existing) =>
      existing.filter((t) => t === internalTopic(prefix, 'delivery-attempts')),
    tables: ['webhook_delivery', 'webhook_delivery_attempt'],
    truncate: 'TRUNCATE webhook_delivery, webhook_delivery_attempt',
  },
  telegram: {
    // Every model topic: a notification rule may name any model (events of models without a
    // rule are skipped undecoded).
    topics: (prefix, existing) => [
      ...existing.filter((t) => t === internalTopic(prefix, 'telegram')),
      ...modelTopics(prefix, existing),
    ],
    tables: [
      'telegram_user',
      'telegram_message',
      'telegram_outbox',
      'telegram_partner',
      'telegram_order',
    ],
    // The sender's claims are not in it: a message claimed before a rebuild is not sent again.
    truncate:
      'TRUNCATE telegram_user, telegram_message, telegram_outbox, telegram_partner, telegram_order',
  },
  events: {
    // Every model topic: the dashboard's event browser, record timelines and change rate.
    topics: (prefix, existing) => modelTopics(prefix, existing),
    tables: ['change_event', 'change_rate'],
    truncate: 'TRUNCATE change_event, change_rate',
  },
};

export type ProjectionName = keyof typeof PROJECTIONS;
