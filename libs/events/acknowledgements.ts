/**
 * What the api writes instead of rows: acknowledgements as events on `<prefix>.stream.feed-acks`
 * and `<prefix>.stream.sync-acks` (JSON), applied by the projector. Each carries its own time, so
 * a rebuild from the topic gives the same rows.
 */

/** mark-processed: these events (by event_id, stable across rebuilds) were processed. */
export interface FeedProcessed {
  type: 'feed.processed';
  ack_id: string;
  event_ids: string[];
  at: string;
}

interface DeviceAck {
  ack_id: string;
  user_id: number;
  device_id: string;
  at: string;
}

/** A device announced itself (get-or-create of its sync state, or v2 registration). */
export interface SyncRegistered extends DeviceAck {
  type: 'sync.registered';
  app_type: string;
  device_info: string | null;
  app_version: string | null;
  /** The id the api answered for a new device (absent in older events: the projector picks). */
  state_id?: number;
}

/** v1 sync-state/update: the device says where it is (may move back, as the add-on allowed). */
export interface SyncUpdated extends DeviceAck {
  type: 'sync.updated';
  last_event_id: number;
  events_synced: number;
}

/** v2 ack of a next_sync_token: the checkpoint moves forward only. */
export interface SyncAcknowledged extends DeviceAck {
  type: 'sync.acknowledged';
  last_event_id: number;
  events_synced: number;
}

export type SyncAck = SyncRegistered | SyncUpdated | SyncAcknowledged;
export type Acknowledgement = FeedProcessed | SyncAck;

/** An acknowledgement that cannot be applied: goes to the dead-letter topic with this reason. */
export class MalformedAcknowledgement extends Error {
  override name = 'MalformedAcknowledgement';
}

export function parseAcknowledgement(bytes: Buffer | null): Acknowledgement {
  if (!bytes) throw new MalformedAcknowledgement('empty message');
  let value: Record<string, unknown>;
  try {
    value = JSON.parse(bytes.toString('utf8')) as Record<string, unknown>;
  } catch {
    throw new MalformedAcknowledgement('not JSON');
  }
  if (typeof value !== 'object' || value === null) {
    throw new MalformedAcknowledgement('not a JSON object');
  }
  const check = (ok: boolean, field: string, expected: string) => {
    if (!ok)
      throw new MalformedAcknowledgement(`${String(value.type)}: ${field} is not ${expected}`);
  };
  const isId = (v: unknown) => Number.isSafeInteger(v) && (v as number) >= 0;
  check(typeof value.ack_id === 'string' && value.ack_id.length > 0, 'ack_id', 'a string');
  check(typeof value.at === 'string' && !Number.isNaN(Date.parse(value.at)), 'at', 'a time');
  if (value.type === 'feed.processed') {
    check(
      Array.isArray(value.event_ids) && value.event_ids.every((id) => typeof id === 'string'),
      'event_ids',
      'a list of event ids',
    );
    return value as unknown as FeedProcessed;
  }
  if (!['sync.registered', 'sync.updated', 'sync.acknowledged'].includes(String(value.type))) {
    throw new MalformedAcknowledgement(
      `unknown acknowledgement type ${JSON.stringify(value.type)}`,
    );
  }
  check(isId(value.user_id), 'user_id', 'a non-negative integer');
  check(typeof value.device_id === 'string' && value.device_id.length > 0, 'device_id', 'a string');
  if (value.type === 'sync.registered') {
    check(typeof value.app_type === 'string', 'app_type', 'a string');
    check(
      value.state_id === undefined || (isId(value.state_id) && Number(value.state_id) > 0),
      'state_id',
      'a positive integer',
    );
  } else {
    check(isId(value.last_event_id), 'last_event_id', 'a non-negative integer');
    check(isId(value.events_synced), 'events_synced', 'a non-negative integer');
  }
  return value as unknown as SyncAck;
}

/** Acknowledgements of one device share a key, so they are applied in order. */
export function deviceKey(userId: number, deviceId: string): string {
  return `${userId}/${deviceId}`;
}

/**
 * The Avro schema of a device acknowledgement, registered for `<prefix>.stream.sync-acks-value`
 * so that other producers (a Python service, say) can write acknowledgements Confluent-framed.
 * The api itself writes plain JSON; the projector reads both.
 */
export const SYNC_ACK_SCHEMA = {
  type: 'record',
  name: 'SyncAck',
  namespace: 'odoo_stream.acks',
  doc: "A device's sync state change; last_event_id is a feed id (update.webhook id)",
  fields: [
    {
      name: 'type',
      type: {
        type: 'enum',
        name: 'SyncAckType',
        symbols: ['sync_registered', 'sync_updated', 'sync_acknowledged'],
      },
      doc: 'sync_updated: the device is at last_event_id (may move back); sync_acknowledged: forward only; sync_registered: get-or-create',
    },
    { name: 'ack_id', type: 'string', doc: 'Unique per acknowledgement (a UUID)' },
    { name: 'user_id', type: 'long' },
    { name: 'device_id', type: 'string', doc: 'Also the message key: "<user_id>/<device_id>"' },
    { name: 'at', type: 'string', doc: 'ISO 8601 time of the acknowledgement' },
    { name: 'last_event_id', type: ['null', 'long'], default: null },
    { name: 'events_synced', type: ['null', 'long'], default: null },
    { name: 'app_type', type: ['null', 'string'], default: null },
    { name: 'device_info', type: ['null', 'string'], default: null },
    { name: 'app_version', type: ['null', 'string'], default: null },
  ],
} as const;

/** An Avro-decoded acknowledgement as the JSON form parseAcknowledgement reads. */
export function syncAckFromAvro(value: Record<string, unknown>): Buffer {
  const json: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    if (v === null || v === undefined) continue;
    json[key] = typeof v === 'bigint' ? Number(v) : v;
  }
  if (typeof json.type === 'string') json.type = json.type.replace('_', '.');
  return Buffer.from(JSON.stringify(json));
}
