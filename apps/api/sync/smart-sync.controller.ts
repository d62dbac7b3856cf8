import {
  BadRequestException,
  Body,
  Controller,
  ForbiddenException,
  HttpCode,
  Inject,
  Post,
  Req,
  Res,
  UseGuards,
  UsePipes,
} from '@nestjs/common';
import { strictValidation } from '../validation/validation-pipes';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiSecurity,
  ApiTags,
} from '@nestjs/swagger';
import { APP_CONFIG, AppConfig } from '@odoo-stream/config';
import { Acknowledger } from '../acknowledgements/acknowledger';
import {
  AnswerControls,
  markPending,
  PENDING_HEADER_DOC,
} from '../acknowledgements/pending-answer';
import { ApiErrors } from '../errors/api-errors.decorator';
import { ApiKeyGuard } from '../auth/api-key.guard';
import { DeviceTokenGuard } from '../auth/device-token.guard';
import { DeviceTokens } from '../auth/device-tokens';
import { AuthenticatedRequest, DeviceIdentity } from '../auth/principal';
import { RateLimitGuard } from '../auth/rate-limit.guard';
import { FeedReader } from '../feed/feed-reader';
import { DeviceRegistration } from './device-registration';
import {
  DeviceRegistrationAnswer,
  RegisterDeviceDto,
  SmartAckAnswer,
  SmartAckDto,
  SmartPullAnswer,
  SmartPullDto,
} from './sync-dto';
import { SyncStateReader } from './sync-state-reader';
import { publicView } from './sync-state-view';

/**
 * Smart sync v2: each device has its own checkpoint, which moves only when the device
 * acknowledges a pull, and is identified by its token alone.
 */
@ApiTags('smart-sync')
@ApiErrors(400, 401, 403, 429, 503)
@UsePipes(strictValidation)
@Controller('api/v2')
export class SmartSyncController {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly registration: DeviceRegistration,
    private readonly states: SyncStateReader,
    private readonly feed: FeedReader,
    private readonly tokens: DeviceTokens,
    private readonly acknowledger: Acknowledger,
  ) {}

  /** An integration (API key) registers a device and gets the token the device syncs with. */
  @Post('devices')
  @ApiCreatedResponse({ type: DeviceRegistrationAnswer })
  @ApiAcceptedResponse({ type: DeviceRegistrationAnswer, headers: PENDING_HEADER_DOC })
  @UseGuards(ApiKeyGuard, RateLimitGuard)
  @ApiSecurity('api-key')
  async registerDevice(
    @Body() body: RegisterDeviceDto,
    @Res({ passthrough: true }) res: AnswerControls,
  ) {
    const { state, pending, ackId } = await this.registration.register(body);
    const device: DeviceIdentity = {
      user_id: body.user_id,
      device_id: body.device_id,
      app_type: body.app_type,
    };
    if (pending && ackId) markPending(res, ackId, 202);
    return {
      success: true,
      device_token: this.tokens.issueDevice(device),
      ...device,
      sync_state: publicView(state, true),
    };
  }

  @Post('sync/pull')
  @HttpCode(200)
  @ApiOkResponse({ type: SmartPullAnswer })
  @UseGuards(DeviceTokenGuard, RateLimitGuard)
  @ApiBearerAuth()
  async pull(@Body() body: SmartPullDto, @Req() request: AuthenticatedRequest) {
    const device = this.sameDevice(request, body);
    const appModels = this.config.feed.appTypeModels[device.app_type] ?? [];
    const outside = (body.models_filter ?? []).filter((m) => !appModels.includes(m));
    if (outside.length > 0) {
      throw new BadRequestException(
        `models_filter names models outside ${device.app_type}: ${outside.join(', ')}`,
      );
    }
    const models = body.models_filter?.length ? body.models_filter : appModels;
    const state = await this.states.find(device.user_id, device.device_id);
    const checkpoint = state?.last_event_id ?? 0;
    const purged = await this.feed.purgedThroughId();
    if (checkpoint < purged) {
      // Rows after the checkpoint were deleted: a silent gap would be worse than a full resync.
      return {
        status: 'success',
        must_resync: true,
        has_updates: false,
        new_events_count: 0,
        events: [],
        message: `events after ${checkpoint} are no longer kept; resync from Odoo, then acknowledge`,
        next_sync_token: this.tokens.issueSync(device, purged, 0),
        last_sync_time: state?.last_sync_time ?? null,
      };
    }
    const { events } = await this.feed.page({
      after: checkpoint,
      limit: body.limit,
      models,
      pendingOnly: false,
    });
    const last = events.length > 0 ? events[events.length - 1].id : checkpoint;
    return {
      status: 'success',
      must_resync: false,
      has_updates: events.length > 0,
      new_events_count: events.length,
      events,
      next_sync_token: this.tokens.issueSync(device, last, events.length),
      last_sync_time: state?.last_sync_time ?? null,
    };
  }

  /** The device stored the pulled events: its checkpoint moves to the token's position. */
  @Post('sync/ack')
  @HttpCode(200)
  @ApiOkResponse({ type: SmartAckAnswer })
  @ApiAcceptedResponse({ type: SmartAckAnswer, headers: PENDING_HEADER_DOC })
  @UseGuards(DeviceTokenGuard, RateLimitGuard)
  @ApiBearerAuth()
  async ack(
    @Body() body: SmartAckDto,
    @Req() request: AuthenticatedRequest,
    @Res({ passthrough: true }) res: AnswerControls,
  ) {
    const device = request.device as DeviceIdentity;
    const { last, count } = this.tokens.verifySync(body.next_sync_token, device);
    const { ackId, applied } = await this.acknowledger.acknowledge({
      type: 'sync.acknowledged',
      user_id: device.user_id,
      device_id: device.device_id,
      last_event_id: last,
      events_synced: count,
    });
    if (!applied) {
      markPending(res, ackId, 202);
      return { status: 'accepted', ack_id: ackId, last_event_id: last };
    }
    const state = await this.states.find(device.user_id, device.device_id);
    return {
      status: 'success',
      last_event_id: state?.last_event_id ?? last,
      sync_state: state ? publicView(state, true) : null,
    };
  }

  private sameDevice(request: AuthenticatedRequest, body: SmartPullDto): DeviceIdentity {
    const device = request.device as DeviceIdentity;
    if (body.device_id !== undefined && body.device_id !== device.device_id) {
      throw new ForbiddenException('device_id does not match the device token');
    }
    if (body.app_type !== undefined && body.app_type !== device.app_type) {
      throw new ForbiddenException('app_type does not match the device token');
    }
    return device;
  }
}
