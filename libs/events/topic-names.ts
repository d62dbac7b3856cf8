/** Kafka's own limit on a topic name. */
const MAX_TOPIC_LENGTH = 249;

/** `<prefix>.<db>.<model>`, for example odoo.prod.sale.order. */
export function modelTopic(prefix: string, db: string, model: string): string {
  return checked(`${prefix}.${db}.${model}`);
}

/** The model topics `<prefix>.<db>.<model>` among `existing` (not odoo-stream's own). */
export function modelTopics(prefix: string, existing: string[]): string[] {
  return existing.filter((t) => t.startsWith(`${prefix}.`) && !t.startsWith(`${prefix}.stream.`));
}

/** The topics of one model, of every database under the prefix or of `db` only. */
export function modelTopicsOf(
  prefix: string,
  model: string,
  db: string | undefined,
  existing: string[],
): string[] {
  return modelTopics(prefix, existing).filter((t) =>
    db === undefined ? t.endsWith(`.${model}`) : t === `${prefix}.${db}.${model}`,
  );
}

/** Topics odoo-stream keeps for itself: `<prefix>.stream.<name>` (acks, attempts, dead letters). */
export function internalTopic(prefix: string, name: string): string {
  return checked(`${prefix}.stream.${name}`);
}

/** Consumer group of one projection or subscriber: `<prefix>.<role>.<name>`. */
export function consumerGroup(prefix: string, role: 'projector' | 'dispatcher', name: string) {
  return `${prefix}.${role}.${name}`;
}

function checked(topic: string): string {
  if (topic.length > MAX_TOPIC_LENGTH || !/^[A-Za-z0-9._-]+$/.test(topic)) {
    throw new Error(`'${topic}' is not a valid Kafka topic name`);
  }
  return topic;
}
