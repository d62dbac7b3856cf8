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
import { ApiOkResponse, ApiSecurity, ApiTags } from '@nestjs/swagger';
import {
  AnswerControls,
  markPending,
  PENDING_HEADER_DOC,
} from '../acknowledgements/pending-answer';
import { ApiKeyGuard } from '../auth/api-key.guard';
import { RateLimitGuard } from '../auth/rate-limit.guard';
import { ApiErrors } from '../errors/api-errors.decorator';
import { CheckpointUpdate } from './checkpoint-update';
import { DeviceRegistration } from './device-registration';
import {
  SyncStateQueryDto,
  SyncStateUpdateDto,
  SyncStatsQueryDto,
  SyncStatsResponse,
  SyncStateAnswer,
  SyncStateView,
} from './sync-dto';
import { SyncStateReader } from './sync-state-reader';
import { publicView } from './sync-state-view';

/** The add-on's per-device sync state (v1), for integration clients with an API key. */
@ApiTags('sync-state')
@ApiSecurity('api-key')
@ApiErrors(400, 401, 404, 429, 503)
@UseGuards(ApiKeyGuard, RateLimitGuard)
@UsePipes(addonValidation)
@Controller('api/webhooks/sync-state')
export class SyncStateController {
  constructor(
    private readonly registration: DeviceRegistration,
    private readonly states: SyncStateReader,
    private readonly checkpoints: CheckpointUpdate,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get()
  @ApiOkResponse({
    description: 'The device, created when new',
    type: SyncStateAnswer,
    headers: PENDING_HEADER_DOC,
  })
  getByQuery(@Query() query: SyncStateQueryDto, @Res({ passthrough: true }) res: AnswerControls) {
    return this.getOrCreate(query, res);
  }

  @Post()
  @HttpCode(200)
  @ApiOkResponse({
    description: 'The device, created when new',
    type: SyncStateAnswer,
    headers: PENDING_HEADER_DOC,
  })
  getByBody(@Body() body: SyncStateQueryDto, @Res({ passthrough: true }) res: AnswerControls) {
    return this.getOrCreate(body, res);
  }

  /** Moves the device's checkpoint to last_event_id and counts the sync. */
  @Post('update')
  @HttpCode(200)
  @ApiOkResponse({
    description: 'The device after the update',
    type: SyncStateAnswer,
    headers: PENDING_HEADER_DOC,
  })
  async update(@Body() body: SyncStateUpdateDto, @Res({ passthrough: true }) res: AnswerControls) {
    const moved = await this.checkpoints.move(body);
    if (!moved) {
      throw new NotFoundException(
        `no sync state for user ${body.user_id} and device '${body.device_id}'; GET /api/webhooks/sync-state creates it`,
      );
    }
    const { state, pendingAck } = moved;
    if (pendingAck) markPending(res, pendingAck, 200);
    return {
      success: true,
      sync_state: publicView(state, true),
      timestamp: new Date().toISOString(),
    };
  }

  @Get('stats')
  @ApiOkResponse({ type: SyncStatsResponse })
  async stats(@Query() query: SyncStatsQueryDto): Promise<SyncStatsResponse> {
    const appTypes = Object.keys(this.config.feed.appTypeModels);
    return {
      success: true,
      stats: await this.states.stats(query, appTypes),
      timestamp: new Date().toISOString(),
    };
  }

  private async getOrCreate(device: SyncStateQueryDto, res: AnswerControls) {
    const { state, pending, ackId } = await this.registration.register(device);
    if (pending && ackId) markPending(res, ackId, 200);
    const view: SyncStateView = publicView(state, false);
    // As the add-on: the device details a request sets come back in its answer.
    if (device.device_info) view.device_info = device.device_info;
    if (device.app_version) view.app_version = device.app_version;
    return { success: true, sync_state: view, timestamp: new Date().toISOString() };
  }
}
