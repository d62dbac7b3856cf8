import { SchemaRegistry as ConfluentClient, SchemaType } from '@kafkajs/confluent-schema-registry';
import { SchemaRegistry } from './schema-registry';

/**
 * An external Confluent-compatible registry (Confluent, Apicurio, Karapace, or another
 * odoo-stream api) at SCHEMA_REGISTRY_URL. Credentials in the URL (`https://<key>:<secret>@host`)
 * go as HTTP Basic authentication, as Confluent's `basic.auth.user.info` does.
 */
export class ConfluentSchemaRegistry implements SchemaRegistry {
  private readonly client: ConfluentClient;

  constructor(url: string) {
    const parsed = new URL(url);
    const auth = parsed.username
      ? {
          username: decodeURIComponent(parsed.username),
          password: decodeURIComponent(parsed.password),
        }
      : undefined;
    parsed.username = '';
    parsed.password = '';
    this.client = new ConfluentClient({ host: parsed.toString().replace(/\/$/, ''), auth });
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
