import {
  Body,
  Controller,
  Get,
  HttpCode,
  Inject,
  NotFoundException,
  Post,
  Query,
  Res,
  UseGuards,
  UsePipes,
} from '@nestjs/common';
import { addonValidation } from '../validation/validation-pipes';
import { APP_CONFIG, AppConfig } from '@odoo-stream/config';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiSecurity,
  ApiTags,
} from '@nestjs/swagger';
import { Acknowledger } from '../acknowledgements/acknowledger';
import { ApiKeyGuard } from '../auth/api-key.guard';
import { RateLimitGuard } from '../auth/rate-limit.guard';
import { ApiErrorView } from '../feed/feed-dto';
import { DeviceRegistration } from './device-registration';
import {
  SyncStateQueryDto,
  SyncStateUpdateDto,
  SyncStatsQueryDto,
  SyncStateView,
} from './sync-dto';
import { SyncStateReader } from './sync-state-reader';
import { publicView } from './sync-state-view';

interface StatusResponse {
  status(code: number): void;
}

/** The add-on's per-device sync state (v1), for integration clients with an API key. */
@ApiTags('sync-state')
@ApiSecurity('api-key')
@ApiBadRequestResponse({ type: ApiErrorView })
@UseGuards(ApiKeyGuard, RateLimitGuard)
@UsePipes(addonValidation)
@Controller('api/webhooks/sync-state')
export class SyncStateController {
  constructor(
    private readonly registration: DeviceRegistration,
    private readonly states: SyncStateReader,
    private readonly acknowledger: Acknowledger,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get()
  @ApiOkResponse({ description: 'The device, created when new', type: SyncStateView })
  @ApiAcceptedResponse({ description: 'Registration written, not applied yet' })
  getByQuery(@Query() query: SyncStateQueryDto, @Res({ passthrough: true }) res: StatusResponse) {
    return this.getOrCreate(query, res);
  }

  @Post()
  @HttpCode(200)
  @ApiOkResponse({ description: 'The device, created when new', type: SyncStateView })
  getByBody(@Body() body: SyncStateQueryDto, @Res({ passthrough: true }) res: StatusResponse) {
    return this.getOrCreate(body, res);
  }

  /** Moves the device's checkpoint to last_event_id and counts the sync. */
  @Post('update')
  @HttpCode(200)
  @ApiNotFoundResponse({ type: ApiErrorView, description: 'The device never registered' })
  async update(@Body() body: SyncStateUpdateDto, @Res({ passthrough: true }) res: StatusResponse) {
    const current = await this.states.find(body.user_id, body.device_id);
    if (!current) {
      throw new NotFoundException(
        `no sync state for user ${body.user_id} and device '${body.device_id}'; GET /api/webhooks/sync-state creates it`,
      );
    }
    const { ackId, applied } = await this.acknowledger.acknowledge({
      type: 'sync.updated',
      user_id: body.user_id,
      device_id: body.device_id,
      last_event_id: body.last_event_id,
      events_synced: body.events_synced,
    });
    if (!applied) {
      res.status(202);
      return { success: true, accepted: true, ack_id: ackId, timestamp: new Date().toISOString() };
    }
    const state = await this.states.find(body.user_id, body.device_id);
    return { success: true, sync_state: state && publicView(state, true) };
  }

  @Get('stats')
  async stats(@Query() query: SyncStatsQueryDto) {
    const appTypes = Object.keys(this.config.feed.appTypeModels);
    return {
      success: true,
      stats: await this.states.stats(query, appTypes),
      timestamp: new Date().toISOString(),
    };
  }

  private async getOrCreate(device: SyncStateQueryDto, res: StatusResponse) {
    const { state, pending } = await this.registration.register(device);
    if (pending || !state) {
      res.status(202);
      return { success: true, accepted: true, timestamp: new Date().toISOString() };
    }
    return { success: true, sync_state: publicView(state, false) };
  }
}
