import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { Consumer, Kafka, Producer } from 'kafkajs';
import { Logger } from 'pino';
import {
  ControlMessage,
  ControlState,
  MalformedControlMessage,
  parseControlMessage,
} from '@odoo-stream/events';
import { createOrderedProducer } from './kafka-client';
import { retryRetriable } from './retry';
import { streamTopics } from './stream-topics';
import { ensureTopics } from './topic-admin';

/** A consumer that can leave its group on command and join it again. */
export interface PausableConsumer {
  /** Leaves the group once the batch in hand is done; resolves when it has left. */
  pause(): Promise<void>;
  /** Joins the group again, reading from the group's committed offsets. */
  resume(): Promise<void>;
}

/**
 * One process's end of the control topic: it follows every message from the start (so a process
 * started during a pause stays out of the group until the resume), pauses and resumes the
 * consumers registered for a group, answers each pause, and sends commands and records.
 */
export class ControlChannel {
  readonly state = new ControlState();
  readonly instance = `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
  private readonly topic: string;
  private readonly consumers = new Map<string, Set<PausableConsumer>>();
  /** Groups this process has paused, by pause id, with the timer that resumes them. */
  private readonly paused = new Map<string, { id: string; timer: NodeJS.Timeout }>();
  private consumer?: Consumer;
  private producer?: Producer;
  private isLoaded = false;
  private readonly whenLoaded: Promise<void>;
  private markLoaded!: () => void;
  private acting = Promise.resolve();
  private stopped = false;

  constructor(
    private readonly kafka: Kafka,
    prefix: string,
    private readonly logger: Logger,
    private readonly replicationFactor = -1,
  ) {
    this.topic = streamTopics(prefix).control.topic;
    this.whenLoaded = new Promise((resolve) => (this.markLoaded = resolve));
  }

  /** Starts following the topic; `loaded()` resolves once everything written before is read. */
  async start(): Promise<void> {
    const spec = streamTopics('x', this.replicationFactor).control;
    await ensureTopics(this.kafka, [{ ...spec, topic: this.topic }]);
    const admin = this.kafka.admin();
    await admin.connect();
    const [end] = await retryRetriable(() => admin.fetchTopicOffsets(this.topic)).finally(() =>
      admin.disconnect(),
    );
    const initialEnd = BigInt(end.high);
    if (initialEnd === BigInt(end.low)) this.finishLoading();
    const consumer = this.kafka.consumer({
      // Its own group: every process reads every message; it commits nothing and is left empty.
      groupId: `${this.topic}.reader.${randomBytes(6).toString('hex')}`,
      maxWaitTimeInMs: 200,
    });
    await consumer.connect();
    await retryRetriable(() => consumer.subscribe({ topic: this.topic, fromBeginning: true }));
    // Not awaited: joining the group can take the broker's initial rebalance delay (3 s by
    // default), and nothing needs to wait for it.
    void consumer
      .run({
        autoCommit: false,
        eachMessage: async ({ message }) => {
          let parsed: ControlMessage;
          try {
            parsed = parseControlMessage(message.value);
          } catch (error) {
            if (!(error instanceof MalformedControlMessage)) throw error;
            this.logger.warn(
              { offset: message.offset },
              `ignored a control message: ${error.message}`,
            );
            return;
          }
          this.state.apply(parsed);
          if (this.isLoaded) this.act(parsed);
          else if (BigInt(message.offset) + 1n >= initialEnd) this.finishLoading();
        },
      })
      .catch((error: Error) =>
        this.logger.error({ err: error }, `the control topic cannot be read: ${error.message}`),
      );
    this.consumer = consumer;
  }

  /** Resolves once the messages written before start() are folded into `state`. */
  loaded(): Promise<void> {
    return this.whenLoaded;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.acting;
    for (const { timer } of this.paused.values()) clearTimeout(timer);
    await this.consumer?.disconnect();
    await this.producer?.disconnect();
  }

  /**
   * Registers a running consumer of `group`. When the group is paused now, it is paused at once.
   * Returns what unregisters it.
   */
  register(group: string, consumer: PausableConsumer): () => void {
    if (!this.consumers.has(group)) this.consumers.set(group, new Set());
    this.consumers.get(group)?.add(consumer);
    if (this.isLoaded && this.paused.has(group)) void consumer.pause();
    return () => this.consumers.get(group)?.delete(consumer);
  }

  /** Is the group held paused by this process (its consumers must not join)? */
  isPaused(group: string): boolean {
    return this.paused.has(group);
  }

  async send(message: ControlMessage): Promise<void> {
    if (!this.producer) {
      const producer = createOrderedProducer(this.kafka);
      await producer.connect();
      this.producer = producer;
    }
    await this.producer.send({
      topic: this.topic,
      acks: -1,
      messages: [{ key: message.group, value: JSON.stringify(message) }],
    });
  }

  private finishLoading(): void {
    if (this.isLoaded) return;
    this.isLoaded = true;
    // Pauses still in effect when this process started.
    for (const group of this.state.pausedGroups()) {
      const pause = this.state.pauseOf(group);
      if (!pause) continue;
      const until = new Date(pause.until).toISOString();
      this.act({ type: 'pause', id: pause.id, group, until, by: '', at: '' });
    }
    this.markLoaded();
  }

  /** Commands are carried out one after another, in the topic's order. */
  private act(message: ControlMessage): void {
    this.acting = this.acting
      .then(() => this.carryOut(message))
      .catch((error: Error) =>
        this.logger.error({ err: error, group: message.group }, `control ${message.type} failed`),
      );
  }

  private async carryOut(message: ControlMessage): Promise<void> {
    if (this.stopped) return;
    const consumers = [...(this.consumers.get(message.group) ?? [])];
    if (message.type === 'pause') {
      const until = Date.parse(message.until);
      const held = this.paused.get(message.group);
      if (held) clearTimeout(held.timer);
      if (until <= Date.now()) return;
      // The pausing command renews the deadline while it works; past it the group resumes by
      // itself, so a command killed half-way never leaves a consumer stopped.
      const timer = setTimeout(() => {
        this.logger.warn({ group: message.group }, 'pause expired without a resume: resuming');
        this.act({ type: 'resume', id: message.id, group: message.group, at: '' });
      }, until - Date.now());
      timer.unref();
      this.paused.set(message.group, { id: message.id, timer });
      if (held?.id === message.id || consumers.length === 0) return;
      this.logger.info({ group: message.group, pause: message.id }, `pausing ${message.group}`);
      await Promise.all(consumers.map((c) => c.pause()));
      await this.send({
        type: 'paused',
        id: message.id,
        group: message.group,
        instance: this.instance,
        at: new Date().toISOString(),
      });
    } else if (message.type === 'resume') {
      const held = this.paused.get(message.group);
      if (!held || held.id !== message.id) return;
      clearTimeout(held.timer);
      this.paused.delete(message.group);
      if (consumers.length === 0) return;
      this.logger.info({ group: message.group, pause: message.id }, `resuming ${message.group}`);
      await Promise.all(consumers.map((c) => c.resume()));
    }
  }
}
