import { SchemaRegistry as ConfluentClient, SchemaType } from '@kafkajs/confluent-schema-registry';
import { SchemaRegistry } from './schema-registry';

/** An external Confluent-compatible registry (Confluent, Apicurio, Karapace) at SCHEMA_REGISTRY_URL. */
export class ConfluentSchemaRegistry implements SchemaRegistry {
  private readonly client: ConfluentClient;

  constructor(url: string) {
    this.client = new ConfluentClient({ host: url });
  }

  async register(subject: string, schema: object): Promise<number> {
    const { id } = await this.client.register(
      { type: SchemaType.AVRO, schema: JSON.stringify(schema) },
      { subject },
    );
    return id;
  }

  async schemaById(id: number): Promise<object> {
    return JSON.parse(await this.client.getSchema(id).then((s) => JSON.stringify(s)));
  }
}
