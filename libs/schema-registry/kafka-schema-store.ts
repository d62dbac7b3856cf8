import { Kafka, Producer } from 'kafkajs';
import { createOrderedProducer, ensureTopics, readCompactedTopic } from '@odoo-stream/kafka';
import { SchemaCatalog } from './schema-catalog';
import { canonicalSchema, schemaId } from './schema-id';
import { RegisteredSchema, SchemaRegistry } from './schema-registry';

/**
 * odoo-stream's own schema registry storage: one compacted, single-partition topic holding every
 * (subject, version) -> schema registration, the way Confluent's registry keeps `_schemas`. A
 * process reads it whole at start, and again when asked for something it has not seen (another
 * process registered it); registering appends to it.
 */
export class KafkaSchemaStore implements SchemaRegistry {
  catalog = new SchemaCatalog();
  private producer?: Producer;

  constructor(
    private readonly kafka: Kafka,
    readonly topic: string,
  ) {}

  async start(): Promise<void> {
    await ensureTopics(this.kafka, [
      { topic: this.topic, partitions: 1, config: { 'cleanup.policy': 'compact' } },
    ]);
    this.producer = createOrderedProducer(this.kafka);
    await this.producer.connect();
    await this.refresh();
  }

  /** Rebuilds the catalog from the topic. */
  async refresh(): Promise<void> {
    const catalog = new SchemaCatalog();
    for (const value of (await readCompactedTopic(this.kafka, this.topic)).values()) {
      if (value) catalog.apply(JSON.parse(value.toString()) as RegisteredSchema);
    }
    this.catalog = catalog;
  }

  async stop(): Promise<void> {
    await this.producer?.disconnect();
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
    if (!this.producer) throw new Error('the schema store is not started');
    await this.producer.send({
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
