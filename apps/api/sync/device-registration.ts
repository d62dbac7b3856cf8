import { BadRequestException, Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '@odoo-stream/config';
import { applySyncAck, SyncRegistered } from '@odoo-stream/events';
import { Acknowledger } from '../acknowledgements/acknowledger';
import { SyncStateQueryDto, SyncStateView } from './sync-dto';
import { SyncStateReader } from './sync-state-reader';

export interface Registration {
  /** The device's state: as applied, or as it will be once `pending` is applied. */
  state: SyncStateView;
  /** The registration is written but the projector has not applied it yet. */
  pending: boolean;
  ackId?: string;
}

/** Get-or-create of a device's sync state, by writing a `sync.registered` acknowledgement. */
@Injectable()
export class DeviceRegistration {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly dataSource: DataSource,
    private readonly states: SyncStateReader,
    private readonly acknowledger: Acknowledger,
  ) {}

  async register(device: SyncStateQueryDto): Promise<Registration> {
    if (!(device.app_type in this.config.feed.appTypeModels)) {
      throw new BadRequestException(
        `app_type '${device.app_type}' is not one of ${Object.keys(this.config.feed.appTypeModels).join(', ')}`,
      );
    }
    const current = await this.states.find(device.user_id, device.device_id);
    const unchanged =
      current &&
      current.is_active &&
      current.app_type === device.app_type &&
      (device.device_info === undefined || current.device_info === device.device_info) &&
      (device.app_version === undefined || current.app_version === device.app_version);
    if (unchanged) return { state: current, pending: false };
    // A new device's id is taken here, so that an answer given before the projector applies the
    // registration already carries the id the row will have.
    const stateId = current?.id ?? (await this.reserveId());
    const { ackId, written, applied } = await this.acknowledger.acknowledge<SyncRegistered>({
      type: 'sync.registered',
      user_id: device.user_id,
      device_id: device.device_id,
      app_type: device.app_type,
      device_info: device.device_info ?? null,
      app_version: device.app_version ?? null,
      ...(current ? {} : { state_id: stateId }),
    });
    const state = applied ? await this.states.find(device.user_id, device.device_id) : undefined;
    if (state) return { state, pending: false, ackId };
    const next = applySyncAck(current, written);
    return { state: { ...next!, id: stateId }, pending: true, ackId };
  }

  private async reserveId(): Promise<number> {
    const [row] = await this.dataSource.query<Array<{ id: string }>>(
      `SELECT nextval(pg_get_serial_sequence('user_sync_state', 'id')) AS id`,
    );
    return Number(row.id);
  }
}
