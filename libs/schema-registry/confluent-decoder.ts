import { Type } from 'avsc';
import { unframe } from '@odoo-stream/events';
import { SchemaRegistry } from './schema-registry';

/**
 * Decodes Confluent-framed Avro the way any Confluent deserializer does: schema id from the
 * frame, schema from the registry (cached), value from the rest.
 */
export class ConfluentDecoder {
  private readonly types = new Map<number, Promise<Type>>();

  constructor(private readonly registry: Pick<SchemaRegistry, 'schemaById'>) {}

  async decode<T = unknown>(message: Buffer): Promise<{ schemaId: number; value: T; type: Type }> {
    const { schemaId, avro } = unframe(message);
    const type = await this.type(schemaId);
    return { schemaId, value: type.fromBuffer(avro) as T, type };
  }

  private type(id: number): Promise<Type> {
    let type = this.types.get(id);
    if (!type) {
      type = this.registry.schemaById(id).then((schema) => Type.forSchema(schema as never));
      // A failed lookup is not remembered: the schema may be registered by the next try.
      type.catch(() => this.types.delete(id));
      this.types.set(id, type);
    }
    return type;
  }
}
