import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Inject,
  Param,
  Patch,
  Post,
  Query,
  Req,
  Res,
  UseGuards,
  UsePipes,
} from '@nestjs/common';
import { strictValidation } from '../validation/validation-pipes';
import {
  ApiConflictResponse,
  ApiCookieAuth,
  ApiCreatedResponse,
  ApiHeader,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiSecurity,
  ApiTags,
} from '@nestjs/swagger';
import { ApiErrors } from '../errors/api-errors.decorator';
import { ConnectionTestView, SubscriberView, SubscriptionView } from './subscriber-views';
import { AdminKeyGuard } from '../auth/api-key.guard';
import { RateLimitGuard } from '../auth/rate-limit.guard';
import { ApiErrorView } from '../feed/feed-dto';
import { SubscriberDto, SubscriptionDto, UpdateSubscriberDto } from './subscriber-dto';
import { SubscriberStore } from './subscriber-store';
import { subscriberView } from './subscriber-view';
import { testConnection } from './connection-test';
import { APP_CONFIG, AppConfig } from '@odoo-stream/config';
import { RecordIdPipe } from '../validation/record-id.pipe';
import { decodeCursor, pageOf } from '../paging/cursor';
import { pagedAnswer, PagedView, PagedRequest, PagedResponse } from '../paging/page-headers';
import { PageQueryDto } from '../paging/page-query.dto';

/** Webhook subscribers and their per-model subscriptions (admin key). */
@ApiTags('subscribers')
@ApiSecurity('api-key')
@ApiCookieAuth('session')
@ApiErrors(400, 401, 404, 429, 503)
@UseGuards(AdminKeyGuard, RateLimitGuard)
@UsePipes(strictValidation)
@Controller('api/subscribers')
export class SubscribersController {
  constructor(
    private readonly store: SubscriberStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** In id order; one page, the next one's cursor in `next_cursor` (and `X-Next-Cursor`, `Link: rel="next"`). */
  @Get()
  @ApiOkResponse({ type: PagedView(SubscriberView, 'PagedSubscribers') })
  @ApiHeader({
    name: 'X-Next-Cursor',
    required: false,
    description: 'answer header: the next page',
  })
  async list(
    @Query() query: PageQueryDto,
    @Req() request: PagedRequest,
    @Res({ passthrough: true }) response: PagedResponse,
  ) {
    const all = (await this.store.list()).map((s) =>
      subscriberView(s, this.config.webhooks.rotationOverlapMs),
    );
    return pagedAnswer(pageById(all, query), request, response);
  }

  /** The answer holds the signing secret, whole, this once. */
  @Post()
  @ApiCreatedResponse({ type: SubscriberView, description: 'The secret shown whole, this once' })
  @ApiConflictResponse({ type: ApiErrorView, description: 'endpoint_url is taken' })
  async create(@Body() body: SubscriberDto) {
    return subscriberView(
      await this.store.create(body),
      this.config.webhooks.rotationOverlapMs,
      true,
    );
  }

  @Get(':id')
  @ApiOkResponse({ type: SubscriberView })
  async get(@Param('id', new RecordIdPipe('id')) id: number) {
    return subscriberView(await this.store.get(id), this.config.webhooks.rotationOverlapMs);
  }

  /** With `rotate_secret: true` the answer holds the new secret, whole, this once. */
  @Patch(':id')
  @ApiOkResponse({ type: SubscriberView })
  async update(@Param('id', new RecordIdPipe('id')) id: number, @Body() body: UpdateSubscriberDto) {
    return subscriberView(
      await this.store.update(id, body),
      this.config.webhooks.rotationOverlapMs,
      body.rotate_secret === true,
    );
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiNoContentResponse()
  async remove(@Param('id', new RecordIdPipe('id')) id: number) {
    await this.store.remove(id);
  }

  /** Sends one signed test request and says how it went, in plain words when it failed. */
  @Post(':id/test')
  @HttpCode(200)
  @ApiOkResponse({ type: ConnectionTestView })
  async test(@Param('id', new RecordIdPipe('id')) id: number) {
    return testConnection(await this.store.get(id), this.config.webhooks);
  }

  @Get(':id/subscriptions')
  @ApiOkResponse({ type: PagedView(SubscriptionView, 'PagedSubscriptions') })
  @ApiHeader({
    name: 'X-Next-Cursor',
    required: false,
    description: 'answer header: the next page',
  })
  async subscriptions(
    @Param('id', new RecordIdPipe('id')) id: number,
    @Query() query: PageQueryDto,
    @Req() request: PagedRequest,
    @Res({ passthrough: true }) response: PagedResponse,
  ) {
    const { subscriptions } = await this.store.get(id);
    return pagedAnswer(pageById(subscriptions, query), request, response);
  }

  @Post(':id/subscriptions')
  @ApiCreatedResponse({ type: SubscriptionView })
  addSubscription(@Param('id', new RecordIdPipe('id')) id: number, @Body() body: SubscriptionDto) {
    return this.store.addSubscription(id, body);
  }

  @Delete(':id/subscriptions/:subscription')
  @HttpCode(204)
  @ApiNoContentResponse()
  async removeSubscription(
    @Param('id', new RecordIdPipe('id')) id: number,
    @Param('subscription', new RecordIdPipe('subscription')) subscription: number,
  ) {
    await this.store.removeSubscription(id, subscription);
  }
}

/** A page of rows in id order (subscribers and subscriptions are few: read whole, paged here). */
function pageById<T extends { id: number }>(rows: T[], query: PageQueryDto) {
  const [after] = query.cursor ? decodeCursor<[number]>(query.cursor, ['number']) : [0];
  const rest = rows.filter((r) => r.id > after).sort((a, b) => a.id - b.id);
  return pageOf(rest.slice(0, query.limit + 1), query.limit, (r) => [r.id]);
}
