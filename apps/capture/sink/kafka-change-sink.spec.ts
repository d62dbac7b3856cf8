import { Producer } from 'kafkajs';
import { KafkaChangeSink } from './kafka-change-sink';

/** A producer whose sends complete when the test says so. */
function controllableProducer() {
  const sends: Array<{ count: number; resolve: () => void; reject: (e: Error) => void }> = [];
  const producer = {
    sendBatch: ({ topicMessages }: { topicMessages: Array<{ messages: unknown[] }> }) =>
      new Promise<void>((resolve, reject) =>
        sends.push({
          count: topicMessages.reduce((n, t) => n + t.messages.length, 0),
          resolve,
          reject,
        }),
      ),
  } as unknown as Producer;
  return { producer, sends };
}

const message = (size = 10) => ({
  topic: 'odoo.prod.sale.order',
  key: Buffer.alloc(5),
  value: Buffer.alloc(size),
});
const tick = () => new Promise((r) => setImmediate(r));

describe('KafkaChangeSink', () => {
  it('reports a transaction durable only after Kafka acknowledged it, in order', async () => {
    const { producer, sends } = controllableProducer();
    const durable: string[] = [];
    const sink = new KafkaChangeSink(producer, (lsn) => durable.push(lsn));
    await sink.write([message()], '0/10');
    await sink.write([message(), message()], '0/20');
    await sink.write([message()], '0/30');
    await tick();
    expect(durable).toEqual([]);
    // The first send carries transaction 0/10; 0/20 and 0/30 gather into the next one.
    sends[0].resolve();
    await tick();
    expect(durable).toEqual(['0/10']);
    expect(sends[1].count).toBe(3);
    sends[1].resolve();
    await sink.flush();
    expect(durable).toEqual(['0/10', '0/30']);
    expect(sink.idle).toBe(true);
  });

  it('never reports anything durable, nor idle, after a failed send', async () => {
    const { producer, sends } = controllableProducer();
    const durable: string[] = [];
    const sink = new KafkaChangeSink(producer, (lsn) => durable.push(lsn));
    await sink.write([message()], '0/10');
    sends[0].reject(new Error('broker gone'));
    await expect(sink.flush()).rejects.toThrow('broker gone');
    expect(sink.idle).toBe(false);
    expect(durable).toEqual([]);
    await expect(sink.write([message()], '0/20')).rejects.toThrow('broker gone');
  });

  it('splits a large transaction over several sends and reports it once its last send is acknowledged', async () => {
    const { producer, sends } = controllableProducer();
    const durable: string[] = [];
    const sink = new KafkaChangeSink(producer, (lsn) => durable.push(lsn), 20_000, 1000);
    await sink.write(
      Array.from({ length: 5 }, () => message(400)),
      '0/40',
    );
    await tick();
    sends[0].resolve();
    await tick();
    expect(durable).toEqual([]);
    for (let i = 1; i < 5 && sends[i]; i++) {
      sends[i].resolve();
      await tick();
    }
    await sink.flush();
    expect(sends.map((s) => s.count)).toEqual([2, 2, 1]);
    expect(durable).toEqual(['0/40']);
  });
});
