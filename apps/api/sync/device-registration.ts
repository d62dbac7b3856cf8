import { BadRequestException, Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@odoo-stream/config';
import { Acknowledger } from '../acknowledgements/acknowledger';
import { SyncStateQueryDto } from './sync-dto';
import { SyncStateReader } from './sync-state-reader';

/** Get-or-create of a device's sync state, by writing a `sync.registered` acknowledgement. */
@Injectable()
export class DeviceRegistration {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly states: SyncStateReader,
    private readonly acknowledger: Acknowledger,
  ) {}

  /** The device's state; `pending` when its registration is not applied yet (answer 202). */
  async register(device: SyncStateQueryDto) {
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
    const { applied } = await this.acknowledger.acknowledge({
      type: 'sync.registered',
      user_id: device.user_id,
      device_id: device.device_id,
      app_type: device.app_type,
      device_info: device.device_info ?? null,
      app_version: device.app_version ?? null,
    });
    const state = applied ? await this.states.find(device.user_id, device.device_id) : undefined;
    return { state, pending: !applied };
  }
}
