import { Type } from 'avsc';
import {
  ChangeEvent,
  ColumnDescriptor,
  envelopeSchema,
  FramedEncoder,
  keySchema,
} from '@odoo-stream/events';
import { SchemaRegistry, subjectFor } from '@odoo-stream/schema-registry';

export interface EncodedMessage {
  topic: string;
  key: Buffer;
  value: Buffer | null;
}

interface ModelCodec {
  keyId: number;
  keyType: Type;
  valueId: number;
  valueType: Type;
}

/**
 * Encodes events in the Confluent wire format: Avro key {id} and Avro envelope, each framed with
 * its registered schema id. A model's schema follows its table's columns, so a column added by an
 * Odoo upgrade registers a new version the first time a row with it is seen.
 */
export class EventEncoder {
  private readonly codecs = new Map<string, Promise<ModelCodec>>();
  private readonly signatures = new WeakMap<ColumnDescriptor[], string>();
  private readonly kept = new WeakMap<ColumnDescriptor[], ColumnDescriptor[]>();
  private readonly framed = new FramedEncoder();

  constructor(
    private readonly registry: SchemaRegistry,
    private readonly topicOf: (model: string) => string,
    /** Columns never put in an event (CAPTURE_EXCLUDED_FIELDS), by model. */
    private readonly excluded: Record<string, string[]> = {},
  ) {}

  async encode(event: ChangeEvent, all: ColumnDescriptor[]): Promise<EncodedMessage> {
    const columns = this.keptColumns(event.model, all);
    const codec = await this.codec(event.db, event.model, columns);
    const left = this.excluded[event.model];
    // Images are written as they are: a column an image does not carry (a key-only before image)
    // takes the schema's default, null, and an excluded column is not in the schema at all.
    const value = left
      ? { ...event, changed_fields: event.changed_fields.filter((f) => !left.includes(f)) }
      : event;
    return {
      topic: this.topicOf(event.model),
      key: this.key(codec, event),
      value: this.framed.encode(codec.valueType, codec.valueId, value),
    };
  }

  /** A null value under the record's key: compacted copies of the topic may drop the record. */
  async tombstone(event: ChangeEvent, all: ColumnDescriptor[]): Promise<EncodedMessage> {
    const codec = await this.codec(event.db, event.model, this.keptColumns(event.model, all));
    return {
      topic: this.topicOf(event.model),
      key: this.key(codec, event),
      value: null,
    };
  }

  private key(codec: ModelCodec, event: ChangeEvent): Buffer {
    return this.framed.encode(codec.keyType, codec.keyId, { id: event.record_id });
  }

  private keptColumns(model: string, columns: ColumnDescriptor[]): ColumnDescriptor[] {
    const left = this.excluded[model];
    if (!left) return columns;
    let kept = this.kept.get(columns);
    if (!kept) this.kept.set(columns, (kept = columns.filter((c) => !left.includes(c.name))));
    return kept;
  }

  private codec(db: string, model: string, columns: ColumnDescriptor[]): Promise<ModelCodec> {
    // One relation's column list is one array for all its rows: its signature is computed once.
    let signature = this.signatures.get(columns);
    if (!signature) {
      signature = `${model}|${columns.map((c) => `${c.name}:${c.typeOid}:${c.typeMod}`).join(',')}`;
      this.signatures.set(columns, signature);
    }
    let codec = this.codecs.get(signature);
    if (!codec) {
      codec = this.register(db, model, columns);
      codec.catch(() => this.codecs.delete(signature));
      this.codecs.set(signature, codec);
    }
    return codec;
  }

  private async register(
    db: string,
    model: string,
    columns: ColumnDescriptor[],
  ): Promise<ModelCodec> {
    const topic = this.topicOf(model);
    const key = keySchema(db, model);
    const value = envelopeSchema(db, model, columns);
    const [keyId, valueId] = await Promise.all([
      this.registry.register(subjectFor(topic, 'key'), key),
      this.registry.register(subjectFor(topic, 'value'), value),
    ]);
    return {
      keyId,
      keyType: Type.forSchema(key as never),
      valueId,
      valueType: Type.forSchema(value as never),
    };
  }
}
