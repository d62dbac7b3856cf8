import { Injectable } from '@nestjs/common';
import { applySyncAck, SyncUpdated } from '@odoo-stream/events';
import { Acknowledger } from '../acknowledgements/acknowledger';
import { SyncStateView } from './sync-dto';
import { SyncStateReader } from './sync-state-reader';

/**
 * The add-on's `update_sync_state`, for the HTTP API and JSON-RPC alike: a `sync.updated`
 * acknowledgement for a known device, answered with the state as applied, or (when the
 * projector is slower than API_ACK_WAIT_MS) the state it will give, by the projector's own rule.
 */
@Injectable()
export class CheckpointUpdate {
  constructor(
    private readonly states: SyncStateReader,
    private readonly acknowledger: Acknowledger,
  ) {}

  /** Undefined for a device that never registered (the add-on's "not found"). */
  async move(update: {
    user_id: number;
    device_id: string;
    last_event_id: number;
    events_synced: number;
  }): Promise<{ state: SyncStateView; pendingAck?: string } | undefined> {
    const current = await this.states.find(update.user_id, update.device_id);
    if (!current) return undefined;
    const { ackId, written, applied } = await this.acknowledger.acknowledge<SyncUpdated>({
      type: 'sync.updated',
      ...update,
    });
    const state = applied ? await this.states.find(update.user_id, update.device_id) : undefined;
    if (state) return { state };
    return { state: { ...current, ...applySyncAck(current, written)! }, pendingAck: ackId };
  }
}
