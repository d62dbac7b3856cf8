import { IHeaders, KafkaMessage, Producer } from 'kafkajs';

export interface DeadLetter {
  topic: string;
  partition: number;
  message: KafkaMessage;
  reason: string;
}

/**
 * Messages a consumer cannot apply go to `<prefix>.stream.dead-letters` unchanged, with headers
 * saying who gave up on them and why, so that the consumer keeps going and nothing is dropped.
 */
export class DeadLetterSink {
  constructor(
    private readonly producer: Producer,
    private readonly topic: string,
    private readonly consumer: string,
  ) {}

  async send(letters: DeadLetter[]): Promise<void> {
    if (letters.length === 0) return;
    await this.producer.send({
      topic: this.topic,
      acks: -1,
      messages: letters.map(({ topic, partition, message, reason }) => ({
        key: message.key,
        value: message.value,
        headers: {
          ...stringHeaders(message.headers),
          'odoo-stream-consumer': this.consumer,
          'odoo-stream-reason': reason,
          'odoo-stream-source': `${topic}/${partition}@${message.offset}`,
          'odoo-stream-failed-at': new Date().toISOString(),
        },
      })),
    });
  }
}

function stringHeaders(headers: IHeaders | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (value !== undefined && !Array.isArray(value)) out[name] = value.toString();
  }
  return out;
}
