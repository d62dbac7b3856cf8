import { Kafka, Producer } from 'kafkajs';
import { createOrderedProducer, ensureTopics, readCompactedTopic } from '@odoo-stream/kafka';
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
  private producer?: Promise<Producer>;

  constructor(
    private readonly kafka: Kafka,
    readonly topic: string,
  ) {}

  /** Creates the topic, connects the producer and reads what is registered (capture, at start-up). */
  async start(): Promise<void> {
    await this.connectProducer();
    await this.refresh();
  }

  /** Rebuilds the catalog from the topic. */
  async refresh(): Promise<void> {
    const catalog = new SchemaCatalog();
    for (const value of (await readCompactedTopic(this.kafka, this.topic)).values()) {
      if (!value) continue;
      const entry = JSON.parse(value.toString()) as RegisteredSchema | SubjectConfig;
      if ('compatibilityLevel' in entry) catalog.applyConfig(entry);
      else catalog.apply(entry);
    }
    this.catalog = catalog;
  }

  async stop(): Promise<void> {
    const producer = await this.producer?.catch(() => undefined);
    await producer?.disconnect();
  }

  /**
   * Records a subject's compatibility level (PUT /config/{subject}). The level is kept and
   * reported; registrations are not checked against it (odoo-stream's own changes are additive).
   */
  async setCompatibility(subject: string, level: CompatibilityLevel): Promise<void> {
    const entry: SubjectConfig = { config: subject, compatibilityLevel: level };
    const producer = await this.connectProducer();
    await producer.send({
      topic: this.topic,
      acks: -1,
      messages: [{ key: JSON.stringify({ config: subject }), value: JSON.stringify(entry) }],
    });
    this.catalog.applyConfig(entry);
  }

  /** Once per store, however many registrations ask at the same time. */
  private connectProducer(): Promise<Producer> {
    this.producer ??= (async () => {
      await ensureTopics(this.kafka, [
        { topic: this.topic, partitions: 1, config: { 'cleanup.policy': 'compact' } },
      ]);
      const producer = createOrderedProducer(this.kafka);
      await producer.connect();
      return producer;
    })();
    this.producer.catch(() => (this.producer = undefined));
    return this.producer;
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
    const producer = await this.connectProducer();
    await producer.send({
      topic: this.topic,
      acks: -1,
      messages: [
        { key: JSON.stringify({ subject, version: entry.version }), value: JSON.stringify(entry) },
      ],
    });
    this.catalog.apply(entry);
    return entry;
  }
}
