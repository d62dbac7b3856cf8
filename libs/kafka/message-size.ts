import { Admin, ConfigResourceTypes, IHeaders, Kafka, Message } from 'kafkajs';

/** Room for the record batch header and the produce request around the records. */
const BATCH_OVERHEAD_BYTES = 1024;
/** Per record: length, attributes, timestamp and offset deltas, key and value lengths (varints). */
const RECORD_OVERHEAD_BYTES = 32;

/** An upper bound of what one message adds to a record batch (uncompressed). */
export function recordBytes(message: Pick<Message, 'key' | 'value' | 'headers'>): number {
  let bytes = RECORD_OVERHEAD_BYTES + size(message.key) + size(message.value);
  for (const [name, value] of Object.entries((message.headers ?? {}) as IHeaders)) {
    bytes += 10 + Buffer.byteLength(name);
    for (const v of Array.isArray(value) ? value : [value]) bytes += size(v ?? null);
  }
  return bytes;
}

function size(v: Buffer | string | null | undefined): number {
  if (v === null || v === undefined) return 0;
  return typeof v === 'string' ? Buffer.byteLength(v) : v.length;
}

/** How many bytes of records one request may carry under a `max.message.bytes` limit. */
export function recordBudget(maxMessageBytes: number): number {
  return Math.max(maxMessageBytes - BATCH_OVERHEAD_BYTES, 1);
}

/**
 * Splits `items` in order into groups whose sizes add up to at most `budget`; an item larger
 * than the budget on its own makes a group of one (the caller decides what to do with it).
 */
export function chunkByBytes<T>(items: T[], sizeOf: (item: T) => number, budget: number): T[][] {
  const chunks: T[][] = [];
  let current: T[] = [];
  let bytes = 0;
  for (const item of items) {
    const n = sizeOf(item);
    if (current.length > 0 && bytes + n > budget) {
      chunks.push(current);
      current = [];
      bytes = 0;
    }
    current.push(item);
    bytes += n;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

/**
 * The smallest `max.message.bytes` of the topics, as the broker applies it (the topic's own
 * setting, or the broker's `message.max.bytes` when the topic has none).
 */
export async function maxMessageBytes(admin: Admin, topics: string[]): Promise<number> {
  const { resources } = await admin.describeConfigs({
    includeSynonyms: false,
    resources: topics.map((name) => ({
      type: ConfigResourceTypes.TOPIC,
      name,
      configNames: ['max.message.bytes'],
    })),
  });
  const limits = resources.flatMap((r) =>
    r.configEntries
      .filter((e) => e.configName === 'max.message.bytes')
      .map((e) => Number(e.configValue)),
  );
  const valid = limits.filter((n) => Number.isFinite(n) && n > 0);
  if (valid.length === 0) throw new Error(`no max.message.bytes for ${topics.join(', ')}`);
  return Math.min(...valid);
}

/** The bytes of records one request to these topics may carry, asked of the broker. */
export async function topicRecordBudget(kafka: Kafka, topics: string[]): Promise<number> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    return recordBudget(await maxMessageBytes(admin, topics));
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

/** Kafka refused a request for its size: smaller requests may pass. */
export function isSizeError(error: unknown): boolean {
  if (!error || typeof error !== 'object') return false;
  const e = error as { type?: string; message?: string; originalError?: unknown; cause?: unknown };
  if (e.type === 'MESSAGE_TOO_LARGE' || e.type === 'RECORD_LIST_TOO_LARGE') return true;
  if (/larger than the max message size/i.test(String(e.message ?? ''))) return true;
  // kafkajs wraps the broker's answer when its own retries ran out.
  return isSizeError(e.originalError) || isSizeError(e.cause);
}
