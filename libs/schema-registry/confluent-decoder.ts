import { Type } from 'avsc';
import { unframe } from '@odoo-stream/events';
import { SchemaRegistry } from './schema-registry';

/**
 * Decodes Confluent-framed Avro the way any Confluent deserializer does: schema id from the
 * frame, schema from the registry (cached), value from the rest.
 */
export class ConfluentDecoder {
  private readonly types = new Map<number, Promise<{ type: Type; schema: object }>>();

  constructor(private readonly registry: Pick<SchemaRegistry, 'schemaById'>) {}

  /** The value, and the writer's schema as registered (with its custom attributes). */
  async decode<T = unknown>(
    message: Buffer,
  ): Promise<{ schemaId: number; value: T; schema: object }> {
    const { schemaId, avro } = unframe(message);
    const { type, schema } = await this.type(schemaId);
    return { schemaId, value: type.fromBuffer(avro) as T, schema };
  }

  private type(id: number): Promise<{ type: Type; schema: object }> {
    let type = this.types.get(id);
    if (!type) {
      type = this.registry
        .schemaById(id)
        .then((schema) => ({ type: Type.forSchema(schema as never), schema }));
      // A failed lookup is not remembered: the schema may be registered by the next try.
      type.catch(() => this.types.delete(id));
      this.types.set(id, type);
    }
    return type;
  }
}
