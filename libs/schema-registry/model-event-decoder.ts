import { ChangeEvent, imageToJson, JsonImage, RecordImage } from '@odoo-stream/events';
import { ConfluentDecoder } from './confluent-decoder';
import { SchemaRegistry } from './schema-registry';

export interface DecodedChange {
  event: ChangeEvent;
  toJson: (image: RecordImage) => JsonImage;
}

/** Change events from a model topic, with the JSON converter of their schema version. */
export class ModelEventDecoder {
  private readonly decoder: ConfluentDecoder;
  private readonly converters = new Map<number, (image: RecordImage) => JsonImage>();

  constructor(registry: Pick<SchemaRegistry, 'schemaById'>) {
    this.decoder = new ConfluentDecoder(registry);
  }

  async decode(value: Buffer): Promise<DecodedChange> {
    const { schemaId, value: event, schema } = await this.decoder.decode<ChangeEvent>(value);
    let toJson = this.converters.get(schemaId);
    if (!toJson) {
      toJson = imageToJson(schema as { fields?: Array<{ name: string; type: unknown }> });
      this.converters.set(schemaId, toJson);
    }
    return { event, toJson };
  }
}
