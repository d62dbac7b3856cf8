import {
  BadRequestException,
  Body,
  ConflictException,
  Controller,
  Get,
  HttpCode,
  Post,
  Req,
  UseGuards,
  UsePipes,
} from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiCookieAuth,
  ApiOkResponse,
  ApiSecurity,
  ApiTags,
} from '@nestjs/swagger';
import { ControlAuthor } from '@odoo-stream/events';
import { AdminKeyGuard } from '../auth/api-key.guard';
import { AuthenticatedRequest } from '../auth/principal';
import { RateLimitGuard } from '../auth/rate-limit.guard';
import { ApiErrors } from '../errors/api-errors.decorator';
import { strictValidation } from '../validation/validation-pipes';
import { planView } from '../../replay/incident-operations';
import { describeTarget, ReplayRefused } from '../../replay/replay-target';
import { ApiIncidentOperations } from './api-incident-operations';
import {
  ConsumerStateView,
  ControlRecordView,
  RebuildRequestDto,
  ReplayAnswerView,
  ReplayRequestDto,
} from './operations-dto';

/** A refusal is the caller's mistake (400) or the state's (409); nothing was changed. */
function refusal(error: unknown): never {
  if (error instanceof ReplayRefused) {
    throw error.conflict
      ? new ConflictException(error.message)
      : new BadRequestException(error.message);
  }
  throw error;
}

function author(request: AuthenticatedRequest, reason?: string): ControlAuthor {
  return {
    by: request.principal ?? 'key:unknown',
    at: new Date().toISOString(),
    reason: reason ?? null,
  };
}

/** What `odoo-stream consumers`, `replay`, `rebuild` and `replays` do, under the admin key. */
@ApiTags('operations')
@ApiSecurity('api-key')
@ApiCookieAuth('session')
@ApiErrors(400, 401, 409, 429, 503)
@UseGuards(AdminKeyGuard, RateLimitGuard)
@UsePipes(strictValidation)
@Controller()
export class OperationsController {
  constructor(private readonly operations: ApiIncidentOperations) {}

  /** Every consumer odoo-stream owns: state, members, lag per partition, last commit. */
  @Get('api/consumers')
  @ApiOkResponse({ type: [ConsumerStateView] })
  async consumers(): Promise<ConsumerStateView[]> {
    return (await this.operations.get()).consumers();
  }

  /**
   * Plans a replay (changes nothing) or, with `execute`, carries it out while the consumer runs:
   * answered once the offsets are set and the consumer resumed; `GET /api/consumers` shows its
   * catch-up.
   */
  @Post('api/replays')
  @HttpCode(200)
  @ApiOkResponse({ type: ReplayAnswerView })
  async replay(
    @Body() body: ReplayRequestDto,
    @Req() request: AuthenticatedRequest,
  ): Promise<ReplayAnswerView> {
    const operations = await this.operations.get();
    try {
      const plan = await operations.plan(
        body.consumer,
        {
          toEarliest: body.to_earliest || undefined,
          toLatest: body.to_latest || undefined,
          toDatetime: body.to_datetime,
          byDuration: body.by_duration,
          toOffset: body.to_offset,
          shiftBy: body.shift_by,
        },
        { topic: body.topic, model: body.model },
      );
      const view = planView(plan, describeTarget(plan.target));
      if (!body.execute) return { plan: view };
      const record = await operations.replay(plan, author(request, body.reason), {
        newDeliveryIds: body.new_delivery_ids === true,
      });
      return { plan: view, record };
    } catch (error) {
      refusal(error);
    }
  }

  /** Every replay and rebuild recorded on the control topic, oldest first. */
  @Get('api/replays')
  @ApiOkResponse({ type: [ControlRecordView] })
  async replays(): Promise<ControlRecordView[]> {
    return (await this.operations.get()).history();
  }

  /**
   * Starts a rebuild, answered once it runs (202 with its `started` record); it fills a copy,
   * swaps it in and records `swapped` (or `failed`) on the control topic.
   */
  @Post('api/rebuilds')
  @HttpCode(202)
  @ApiAcceptedResponse({ type: ControlRecordView })
  async rebuild(
    @Body() body: RebuildRequestDto,
    @Req() request: AuthenticatedRequest,
  ): Promise<ControlRecordView> {
    const operations = await this.operations.get();
    try {
      operations.projectionNamed(body.projection);
      return await new Promise<ControlRecordView>((resolve, reject) => {
        operations
          .rebuild(body.projection, author(request, body.reason), {
            keepOld: body.keep_old === true,
            report: () => undefined,
            started: resolve,
          })
          .catch(reject);
      });
    } catch (error) {
      refusal(error);
    }
  }

  /** The rebuild records (started, swapped, failed), oldest first. */
  @Get('api/rebuilds')
  @ApiOkResponse({ type: [ControlRecordView] })
  async rebuilds(): Promise<ControlRecordView[]> {
    return (await this.operations.get())
      .history()
      .then((h) => h.filter((r) => r.type === 'rebuild'));
  }
}
