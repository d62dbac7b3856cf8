/** Where Avro schemas get their ids: odoo-stream's own store, or an external Confluent registry. */
export interface SchemaRegistry {
  /** Registers the schema under the subject (a no-op when it is there) and returns its id. */
  register(subject: string, schema: object): Promise<number>;
  /** The schema with this id, as a deserializer needs it; throws when there is none. */
  schemaById(id: number): Promise<object>;
}

export interface RegisteredSchema {
  subject: string;
  version: number;
  id: number;
  /** The schema as a JSON string, as the Confluent REST API carries it. */
  schema: string;
}

/** Subject names of the Confluent TopicNameStrategy: `<topic>-key` and `<topic>-value`. */
export function subjectFor(topic: string, part: 'key' | 'value'): string {
  return `${topic}-${part}`;
}

export const COMPATIBILITY_LEVELS = [
  'BACKWARD',
  'BACKWARD_TRANSITIVE',
  'FORWARD',
  'FORWARD_TRANSITIVE',
  'FULL',
  'FULL_TRANSITIVE',
  'NONE',
] as const;
export type CompatibilityLevel = (typeof COMPATIBILITY_LEVELS)[number];

/** A subject's compatibility setting, as Confluent's /config/{subject} keeps it. */
export interface SubjectConfig {
  config: string;
  compatibilityLevel: CompatibilityLevel;
}
