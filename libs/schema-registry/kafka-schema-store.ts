import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { Consumer, Kafka, Producer } from 'kafkajs';
import { ensureTopics } from '@odoo-stream/kafka';
import { SchemaCatalog } from './schema-catalog';
import { canonicalSchema, schemaId } from './schema-id';
import { RegisteredSchema, SchemaRegistry } from './schema-registry';

/**
 * odoo-stream's own schema registry storage: one compacted, single-partition topic holding every
 * (subject, version) -> schema registration, the way Confluent's registry keeps `_schemas`. Each
 * process reads it whole at start and follows it; registering appends to it.
 */
export class KafkaSchemaStore implements SchemaRegistry {
  readonly catalog = new SchemaCatalog();
  private consumer?: Consumer;
  private producer?: Producer;

  constructor(
    private readonly kafka: Kafka,
    readonly topic: string,
  ) {}

  /** Resolves once every registration made before the call is known. */
  async start(): Promise<void> {
    await ensureTopics(this.kafka, [
      { topic: this.topic, partitions: 1, config: { 'cleanup.policy': 'compact' } },
    ]);
    this.producer = this.kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await this.producer.connect();

    const admin = this.kafka.admin();
    await admin.connect();
    const [end] = await admin.fetchTopicOffsets(this.topic);
    await admin.disconnect();
    const target = Number(end.high);

    // A group of its own per process (nothing is committed): every reader sees the whole log.
    const groupId = `${this.topic}.reader.${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
    this.consumer = this.kafka.consumer({ groupId, sessionTimeout: 10_000, heartbeatInterval: 1000 });
    await this.consumer.connect();
    await this.consumer.subscribe({ topic: this.topic, fromBeginning: true });
    let caughtUp: () => void = () => undefined;
    const ready = new Promise<void>((resolve) => (caughtUp = resolve));
    if (target === 0) caughtUp();
    await this.consumer.run({
      autoCommit: false,
      eachMessage: async ({ message }) => {
        if (message.value) this.catalog.apply(JSON.parse(message.value.toString()) as RegisteredSchema);
        if (Number(message.offset) + 1 >= target) caughtUp();
      },
    });
    await ready;
  }

  async stop(): Promise<void> {
    await this.consumer?.disconnect();
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

  async schemaById(id: number): Promise<object> {
    const schema = this.catalog.schemaById(id);
    if (!schema) throw new Error(`no schema with id ${id}`);
    return JSON.parse(schema) as object;
  }
}
