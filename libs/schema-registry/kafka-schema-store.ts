import { Kafka } from 'kafkajs';
import { CompactedTopic } from '@odoo-stream/kafka';
import { SchemaCatalog } from './schema-catalog';
import { canonicalSchema, schemaId } from './schema-id';
import {
  CompatibilityLevel,
  RegisteredSchema,
  SchemaRegistry,
  SubjectConfig,
} from './schema-registry';

/**
 * odoo-stream's own schema registry storage: one compacted, single-partition topic holding every
 * (subject, version) -> schema registration, the way Confluent's registry keeps `_schemas`. A
 * process reads it whole at start, and again when asked for something it has not seen (another
 * process registered it); registering appends to it.
 */
export class KafkaSchemaStore implements SchemaRegistry {
  catalog = new SchemaCatalog();
  private readonly log: CompactedTopic;

  constructor(
    kafka: Kafka,
    readonly topic: string,
  ) {
    this.log = new CompactedTopic(kafka, topic);
  }

  /** Creates the topic, connects the producer and reads what is registered (capture, at start-up). */
  async start(): Promise<void> {
    await this.log.connect();
    await this.refresh();
  }

  /** Rebuilds the catalog from the topic. */
  async refresh(): Promise<void> {
    const catalog = new SchemaCatalog();
    for (const value of (await this.log.read()).values()) {
      if (!value) continue;
      const entry = JSON.parse(value.toString()) as RegisteredSchema | SubjectConfig;
      if ('compatibilityLevel' in entry) catalog.applyConfig(entry);
      else catalog.apply(entry);
    }
    this.catalog = catalog;
  }

  stop(): Promise<void> {
    return this.log.close();
  }

  /**
   * Records a subject's compatibility level (PUT /config/{subject}). The level is kept and
   * reported; registrations are not checked against it (odoo-stream's own changes are additive).
   */
  async setCompatibility(subject: string, level: CompatibilityLevel): Promise<void> {
    const entry: SubjectConfig = { config: subject, compatibilityLevel: level };
    await this.log.append(JSON.stringify({ config: subject }), JSON.stringify(entry));
    this.catalog.applyConfig(entry);
  }

  /** Reads the topic again when the id is not known yet: a schema registered a moment ago. */
  async schemaById(id: number): Promise<object> {
    if (!this.catalog.schemaById(id)) await this.refresh();
    const schema = this.catalog.schemaById(id);
    if (!schema) throw new UnknownSchemaError(`no schema with id ${id} in ${this.topic}`);
    return JSON.parse(schema) as object;
  }

  async register(subject: string, schema: object | string): Promise<number> {
    return (await this.registerVersion(subject, schema)).id;
  }

  /** Registers (or finds) the schema under the subject: what POST /subjects/{s}/versions does. */
  async registerVersion(subject: string, schema: object | string): Promise<RegisteredSchema> {
    const canonical = canonicalSchema(schema);
    const existing = this.catalog.find(subject, canonical);
    if (existing) return existing;
    const entry = this.catalog.next(subject, schemaId(canonical), canonical);
    await this.log.append(
      JSON.stringify({ subject, version: entry.version }),
      JSON.stringify(entry),
    );
    this.catalog.apply(entry);
    return entry;
  }
}

export class UnknownSchemaError extends Error {
  override name = 'UnknownSchemaError';
}
