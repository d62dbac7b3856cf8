import {
  BadRequestException,
  Body,
  Controller,
  Get,
  HttpCode,
  Post,
  Query,
  Res,
  UseGuards,
  UsePipes,
} from '@nestjs/common';
import { addonValidation } from '../validation/validation-pipes';
import { ApiOkResponse, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { serviceVersion } from '@odoo-stream/config';
import { ApiErrors } from '../errors/api-errors.decorator';
import {
  AnswerControls,
  markPending,
  PENDING_HEADER_DOC,
} from '../acknowledgements/pending-answer';
import { ApiKeyGuard } from '../auth/api-key.guard';
import { RateLimitGuard } from '../auth/rate-limit.guard';
import {
  FeedHealthResponse,
  FeedStatsResponse,
  MarkProcessedDto,
  MarkProcessedResponse,
  PullFeedDto,
  PullFeedResponse,
  StatsQueryDto,
} from './feed-dto';
import { FeedProcessing } from './feed-processing';
import { FeedReader } from './feed-reader';

/** The `update.webhook` pull feed, with the add-on's paths, parameters and field names. */
@ApiTags('feed')
@ApiErrors(400, 401, 429, 503)
@UsePipes(addonValidation)
@Controller('api/webhooks')
export class WebhookFeedController {
  constructor(
    private readonly feed: FeedReader,
    private readonly processing: FeedProcessing,
  ) {}

  /** Rows after last_event_id that no client marked processed, in id order. */
  @Get('pull')
  @UseGuards(ApiKeyGuard, RateLimitGuard)
  @ApiSecurity('api-key')
  @ApiOkResponse({ type: PullFeedResponse })
  pullByQuery(@Query() query: PullFeedDto): Promise<PullFeedResponse> {
    return this.pull(query);
  }

  @Post('pull')
  @HttpCode(200)
  @UseGuards(ApiKeyGuard, RateLimitGuard)
  @ApiSecurity('api-key')
  @ApiOkResponse({ type: PullFeedResponse })
  pullByBody(@Body() body: PullFeedDto): Promise<PullFeedResponse> {
    return this.pull(body);
  }

  /**
   * Marks rows processed, written as an acknowledgement event and answered once applied (or,
   * when the projector is slower than API_ACK_WAIT_MS, once durable, with the pending header).
   * `processed_count` is the number of ids sent, as the add-on answers.
   */
  @Post('mark-processed')
  @HttpCode(200)
  @UseGuards(ApiKeyGuard, RateLimitGuard)
  @ApiSecurity('api-key')
  @ApiOkResponse({ type: MarkProcessedResponse, headers: PENDING_HEADER_DOC })
  async markProcessed(
    @Body() body: MarkProcessedDto,
    @Res({ passthrough: true }) response: AnswerControls,
  ): Promise<MarkProcessedResponse> {
    const { pendingAck } = await this.processing.markProcessed(body.event_ids);
    if (pendingAck) markPending(response, pendingAck, 200);
    const count = body.event_ids.length;
    return {
      success: true,
      processed_count: count,
      message: `${count} event(s) marked as processed`,
      timestamp: new Date().toISOString(),
    };
  }

  @Get('stats')
  @UseGuards(ApiKeyGuard, RateLimitGuard)
  @ApiSecurity('api-key')
  @ApiOkResponse({ type: FeedStatsResponse })
  async stats(@Query() query: StatsQueryDto): Promise<FeedStatsResponse> {
    return {
      success: true,
      stats: await this.feed.stats(query.days),
      timestamp: new Date().toISOString(),
    };
  }

  /** For load balancers and the add-on's clients: no key needed. */
  @Get('health')
  @ApiOkResponse({ type: FeedHealthResponse })
  async health(): Promise<FeedHealthResponse> {
    return {
      status: 'healthy',
      version: serviceVersion(),
      module: 'odoo-stream',
      pending_events: await this.feed.pendingCount(),
      timestamp: new Date().toISOString(),
    };
  }

  private async pull(query: PullFeedDto): Promise<PullFeedResponse> {
    const { events, hasMore } = await this.feed.page({
      after: query.last_event_id,
      limit: query.limit,
      models: query.models,
      priority: query.priority,
      pendingOnly: true,
    });
    if (events.length === 0 && query.last_event_id > 0) {
      const highest = await this.feed.highestId();
      if (query.last_event_id > highest) {
        // An empty answer here would repeat forever: the cursor comes from another feed.
        throw new BadRequestException(
          `last_event_id ${query.last_event_id} is above the highest id this feed has handed out (${highest}); a cursor kept from the add-on needs FEED_IDS_AFTER=${query.last_event_id} on the projector (see Migrating from auto-webhook-odoo in the README), or start again from 0`,
        );
      }
    }
    return {
      success: true,
      events,
      last_id: events.length > 0 ? events[events.length - 1].id : query.last_event_id,
      has_more: hasMore,
      count: events.length,
      timestamp: new Date().toISOString(),
    };
  }
}
