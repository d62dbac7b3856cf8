import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig, FEED_PRIORITIES, FeedPriority } from '@odoo-stream/config';
import { Acknowledger } from '../acknowledgements/acknowledger';
import { StreamPublisher } from '../acknowledgements/stream-publisher';
import { retryOf } from '../deliveries/delivery-retry';
import { FeedProcessing } from '../feed/feed-processing';
import { FeedReader } from '../feed/feed-reader';
import { CheckpointUpdate } from '../sync/checkpoint-update';
import { DeviceRegistration } from '../sync/device-registration';
import { SyncStateReader } from '../sync/sync-state-reader';
import { publicView } from '../sync/sync-state-view';
import { SERVED_MODELS, ServedModel, webhookConfigModel } from './addon-models';
import { AddonModelReader } from './addon-model-reader';
import { ModelCall, OdooRpcError } from './rpc-envelope';

/** The ORM's writing methods: refused on the served models (their rows come from the stream). */
const ORM_WRITES = ['create', 'write', 'unlink', 'copy'];

/** Positional arguments then keyword arguments, by the method's parameter names (Python's rule). */
export function namedArguments(call: ModelCall, names: string[]): Record<string, unknown> {
  const named: Record<string, unknown> = {};
  names.forEach((name, i) => {
    if (i < call.args.length) named[name] = call.args[i];
  });
  for (const [key, value] of Object.entries(call.kwargs)) {
    if (names.includes(key)) named[key] = value;
  }
  return named;
}

const positiveInt = (v: unknown, name: string) => {
  if (!Number.isSafeInteger(v) || (v as number) <= 0) {
    throw new OdooRpcError('ValueError', `${name} must be a positive integer`);
  }
  return v as number;
};

/**
 * The add-on's models over Odoo's RPC: the ORM's reads on their projections, and the model
 * methods its clients call, each doing what the add-on's method does, through acknowledgements
 * (events) where it writes.
 */
@Injectable()
export class AddonModelMethods {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly reader: AddonModelReader,
    private readonly feed: FeedReader,
    private readonly states: SyncStateReader,
    private readonly registration: DeviceRegistration,
    private readonly acknowledger: Acknowledger,
    private readonly dataSource: DataSource,
    private readonly publisher: StreamPublisher,
    private readonly checkpoints: CheckpointUpdate,
    private readonly processing: FeedProcessing,
  ) {
    this.models = {
      ...SERVED_MODELS,
      'webhook.config': webhookConfigModel(config.capture.trackedModels, config.feed),
    };
  }

  private readonly models: Record<string, ServedModel>;

  serves(model: string): boolean {
    return model in this.models;
  }

  /** The models served, for messages. */
  get served(): string[] {
    return Object.keys(this.models);
  }

  async call(call: ModelCall): Promise<unknown> {
    const model = this.models[call.model];
    switch (call.method) {
      case 'search': {
        const a = namedArguments(call, ['domain', 'offset', 'limit', 'order', 'count']);
        return a.count
          ? this.reader.searchCount(model, a.domain)
          : this.reader.search(model, a.domain, a);
      }
      case 'search_count':
        return this.reader.searchCount(model, namedArguments(call, ['domain']).domain);
      case 'search_read': {
        const a = namedArguments(call, ['domain', 'fields', 'offset', 'limit', 'order']);
        return this.reader.searchRead(model, a.domain, a.fields, a);
      }
      case 'read': {
        const a = namedArguments(call, ['ids', 'fields']);
        return this.reader.read(model, a.ids, a.fields);
      }
      case 'fields_get':
        return this.reader.fieldsGet(model);
    }
    const method = `${call.model}.${call.method}`;
    switch (method) {
      case 'update.webhook.pull_events':
        return this.pullEvents(
          namedArguments(call, ['last_event_id', 'limit', 'models', 'priority']),
        );
      case 'update.webhook.mark_batch_as_processed':
        return this.markProcessed(namedArguments(call, ['event_ids']).event_ids);
      case 'update.webhook.get_statistics':
        return this.feed.stats(Number(namedArguments(call, ['days']).days ?? 7) || 7);
      case 'user.sync.state.get_or_create_state':
        return this.getOrCreate(namedArguments(call, ['user_id', 'device_id', 'app_type']));
      case 'user.sync.state.update_sync_state':
        return this.updateState(
          namedArguments(call, ['user_id', 'device_id', 'last_event_id', 'events_synced']),
        );
      case 'user.sync.state.get_sync_statistics': {
        const a = namedArguments(call, ['user_id', 'device_id', 'app_type']);
        return this.states.stats(
          {
            user_id: (a.user_id as number) || undefined,
            device_id: (a.device_id as string) || undefined,
            app_type: (a.app_type as string) || undefined,
          },
          Object.keys(this.config.feed.appTypeModels),
        );
      }
      case 'user.sync.state.write':
        return this.writeStates(namedArguments(call, ['ids', 'vals']));
      case 'webhook.event.retry_event':
        return this.retryEvents(namedArguments(call, ['ids', 'force']).ids);
    }
    if (!ORM_WRITES.includes(call.method)) {
      // Odoo's own answer to a method the model does not have.
      throw new OdooRpcError(
        'AttributeError',
        `The method '${call.method}' does not exist on the model '${call.model}'`,
      );
    }
    if (call.model === 'webhook.config') {
      throw new OdooRpcError(
        'odoo.exceptions.AccessError',
        `odoo-stream's webhook.config is its configuration: ${call.method} is not available; set TRACKED_MODELS, FEED_PRIORITIES and FEED_CATEGORIES, and manage push subscriptions with /api/subscribers`,
      );
    }
    throw new OdooRpcError(
      'odoo.exceptions.AccessError',
      `odoo-stream serves ${call.model} from its change stream: ${call.method} is not available (read with search_read, read, search_count; write through the add-on's methods)`,
    );
  }

  /** One more attempt of these deliveries, now, with their first body (as POST .../retry). */
  private async retryEvents(ids: unknown) {
    const list = (Array.isArray(ids) ? ids : [ids]).filter((id) => Number.isSafeInteger(id));
    const rows: Array<Record<string, unknown>> = await this.dataSource.query(
      `SELECT * FROM webhook_delivery WHERE id = ANY($1::bigint[]) AND body IS NOT NULL`,
      [list],
    );
    if (rows.length === 0) {
      return {
        success: false,
        message: `no webhook.event ${list.join(', ')} with a body to send`,
        new_status: 'unknown',
      };
    }
    await this.publisher.publishRetries(rows.map(retryOf));
    return {
      success: true,
      message: `${rows.length} delivery(ies) queued for one more attempt`,
      new_status: 'pending',
    };
  }

  private async pullEvents(a: Record<string, unknown>) {
    const after = Number(a.last_event_id ?? 0) || 0;
    const { events, hasMore } = await this.feed.page({
      after,
      limit: Math.min(Math.max(Number(a.limit ?? 100) || 100, 1), 1000),
      models: Array.isArray(a.models) ? (a.models as string[]) : undefined,
      priority: (FEED_PRIORITIES as readonly unknown[]).includes(a.priority)
        ? (a.priority as FeedPriority)
        : undefined,
      pendingOnly: true,
    });
    return {
      events,
      last_id: events.length > 0 ? events[events.length - 1].id : after,
      has_more: hasMore,
      count: events.length,
    };
  }

  private async markProcessed(ids: unknown) {
    if (!Array.isArray(ids) || !ids.every((id) => Number.isSafeInteger(id))) {
      throw new OdooRpcError('ValueError', 'event_ids must be a list of update.webhook ids');
    }
    await this.processing.markProcessed(ids as number[]);
    return true;
  }

  private async getOrCreate(a: Record<string, unknown>) {
    const device = {
      user_id: positiveInt(a.user_id, 'user_id'),
      device_id: String(a.device_id ?? '').trim(),
      app_type: typeof a.app_type === 'string' && a.app_type ? a.app_type : 'mobile_app',
    };
    if (!device.device_id) throw new OdooRpcError('ValueError', 'device_id is required');
    try {
      const { state } = await this.registration.register(device);
      return publicView(state, false);
    } catch (error) {
      throw new OdooRpcError('ValueError', (error as Error).message);
    }
  }

  private async updateState(a: Record<string, unknown>) {
    const userId = positiveInt(a.user_id, 'user_id');
    const deviceId = String(a.device_id ?? '').trim();
    const lastEventId = Number(a.last_event_id);
    if (!Number.isSafeInteger(lastEventId) || lastEventId < 0) {
      throw new OdooRpcError('ValueError', 'last_event_id must be a non-negative integer');
    }
    const moved = await this.checkpoints.move({
      user_id: userId,
      device_id: deviceId,
      last_event_id: lastEventId,
      events_synced: Math.max(Number(a.events_synced ?? 0) || 0, 0),
    });
    return moved ? publicView(moved.state, true) : false; // as the add-on: no such state
  }

  /** `write` of a device's checkpoint: a `sync.updated` acknowledgement per record. */
  private async writeStates(a: Record<string, unknown>) {
    const ids = Array.isArray(a.ids) ? a.ids : [a.ids];
    const vals = (a.vals ?? {}) as Record<string, unknown>;
    const other = Object.keys(vals).filter(
      (k) => !['last_event_id', 'last_event_count', 'last_sync_time', 'sync_count'].includes(k),
    );
    if (other.length > 0 || !Number.isSafeInteger(vals.last_event_id)) {
      throw new OdooRpcError(
        'odoo.exceptions.AccessError',
        `odoo-stream keeps user.sync.state from acknowledgements: write takes last_event_id (and last_event_count), not ${other.join(', ') || 'these values'}`,
      );
    }
    const rows: Array<{ user_id: string; device_id: string }> = await this.dataSource.query(
      `SELECT user_id, device_id FROM user_sync_state WHERE id = ANY($1::int[])`,
      [ids],
    );
    for (const row of rows) {
      await this.acknowledger.acknowledge({
        type: 'sync.updated',
        user_id: Number(row.user_id),
        device_id: row.device_id,
        last_event_id: vals.last_event_id as number,
        events_synced: Math.max(Number(vals.last_event_count ?? 0) || 0, 0),
      });
    }
    return true;
  }
}
