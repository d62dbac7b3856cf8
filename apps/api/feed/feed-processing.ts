import { Injectable } from '@nestjs/common';
import { Acknowledger } from '../acknowledgements/acknowledger';
import { FeedReader } from './feed-reader';

/** The add-on's `mark_batch_as_processed`, for the HTTP API and JSON-RPC alike. */
@Injectable()
export class FeedProcessing {
  constructor(
    private readonly feed: FeedReader,
    private readonly acknowledger: Acknowledger,
  ) {}

  /**
   * Writes a `feed.processed` acknowledgement for the rows with these feed ids (unknown ids are
   * ignored, as the add-on ignores them); `pendingAck` when the projector has not applied it yet.
   */
  async markProcessed(ids: number[]): Promise<{ pendingAck?: string }> {
    const eventIds = await this.feed.eventIds([...new Set(ids)]);
    if (eventIds.length === 0) return {};
    const { ackId, applied } = await this.acknowledger.acknowledge({
      type: 'feed.processed',
      event_ids: eventIds,
    });
    return applied ? {} : { pendingAck: ackId };
  }
}
