import { Logger } from 'pino';
import { DeliveryAttempt, DeliveryStatus } from '@odoo-stream/events';
import { DurableTopicWriter } from '@odoo-stream/kafka';
import { AttemptVerdict, SendResult } from '@odoo-stream/webhooks';
import { DeliveryJob } from './delivery-scheduler';

/** Where one subscriber's records go. */
export interface RecordTopics {
  attempts: string;
  deadLetters: string;
}

/**
 * One subscriber's records of its deliveries: every attempt on the attempts topic (the delivery
 * log is built from them) and dead letters, through the writer that retries until Kafka has them.
 * A record too large for its topic is written without its body.
 */
export class DeliveryRecords {
  constructor(
    private readonly writer: DurableTopicWriter,
    private readonly topics: RecordTopics,
    private readonly subscriberId: number,
    /** The consumer group named in dead letters. */
    private readonly groupId: string,
    private readonly logger: Logger,
  ) {}

  /** The attempt's outcome; resolves once Kafka has the record. */
  async attempt(
    job: DeliveryJob,
    attempt: number,
    verdict: AttemptVerdict,
    result: SendResult,
  ): Promise<DeliveryStatus> {
    const status: DeliveryStatus =
      verdict.outcome === 'sent' ? 'sent' : verdict.outcome === 'dead' ? 'dead' : 'failed';
    const nextRetryAt =
      verdict.outcome === 'retry' ? new Date(Date.now() + verdict.delayMs).toISOString() : null;
    await this.write(job, attempt, status, result, nextRetryAt);
    return status;
  }

  /**
   * A new delivery shows in the log as `pending` (attempt 0) while it waits its turn: behind a
   * slow endpoint, a rate limit or an earlier event of the record. Not awaited: the writer keeps
   * the order in which records are written, so it still comes before the attempt's own record.
   */
  pending(job: DeliveryJob): void {
    this.write(job, 0, 'pending', null, null).catch((error: Error) =>
      this.logger.warn({ err: error, delivery: job.deliveryId }, 'pending record not written'),
    );
  }

  async deadLetter(job: DeliveryJob, reason: string): Promise<void> {
    const letter = (body: unknown) => ({
      key: job.deliveryId,
      value: JSON.stringify({
        delivery_id: job.deliveryId,
        subscriber_id: this.subscriberId,
        event_id: job.eventId,
        body,
      }),
      headers: this.letterHeaders(reason, `${job.topic}/${job.partition}@${job.offset}`),
    });
    await this.writer.write(this.topics.deadLetters, letter(job.body), () => letter(null));
  }

  /** A model event that could not be decoded, as it came. */
  async deadLetterRaw(source: string, value: Buffer, reason: string): Promise<void> {
    const headers = this.letterHeaders(reason, source);
    // Too large for the dead-letter topic: the source coordinates still say where it is.
    await this.writer.write(this.topics.deadLetters, { value, headers }, () => ({
      value: null,
      headers: { ...headers, 'odoo-stream-value-omitted': 'too large for the topic' },
    }));
  }

  private async write(
    job: DeliveryJob,
    attempt: number,
    status: DeliveryStatus,
    result: SendResult | null,
    nextRetryAt: string | null,
  ): Promise<void> {
    const record: DeliveryAttempt = {
      type: 'delivery.attempt',
      delivery_id: job.deliveryId,
      subscriber_id: this.subscriberId,
      event_id: job.eventId,
      model: job.model,
      record_id: job.recordId,
      event: job.event,
      attempt,
      status,
      http_status: result?.status ?? null,
      duration_ms: result?.durationMs ?? null,
      error_class: result?.errorClass ?? null,
      error_message: result?.errorMessage ?? null,
      response_excerpt: result?.excerpt ?? null,
      next_retry_at: nextRetryAt,
      at: new Date().toISOString(),
      body: job.body,
      ...(job.replayId ? { replay_id: job.replayId } : {}),
    };
    // A body too large for the topic is left out of the log (the delivery itself carries it).
    await this.writer.write(
      this.topics.attempts,
      { key: job.deliveryId, value: JSON.stringify(record) },
      () => ({
        key: job.deliveryId,
        value: JSON.stringify({ ...record, body: null, body_omitted: true }),
      }),
    );
  }

  private letterHeaders(reason: string, source: string) {
    return {
      'odoo-stream-consumer': this.groupId,
      'odoo-stream-reason': reason,
      'odoo-stream-source': source,
      'odoo-stream-failed-at': new Date().toISOString(),
    };
  }
}
