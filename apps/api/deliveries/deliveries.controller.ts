import {
  ConflictException,
  Controller,
  Get,
  HttpCode,
  Param,
  Post,
  Query,
  Req,
  Res,
  UseGuards,
  UsePipes,
} from '@nestjs/common';
import { strictValidation } from '../validation/validation-pipes';
import { StreamPublisher } from '../acknowledgements/stream-publisher';
import {
  ApiAcceptedResponse,
  ApiCookieAuth,
  ApiHeader,
  ApiOkResponse,
  ApiSecurity,
  ApiTags,
} from '@nestjs/swagger';
import { ApiErrors } from '../errors/api-errors.decorator';
import {
  DeliveryDetailView,
  DeliveryView,
  RecoverAcceptedView,
  RetryAcceptedView,
  SubscriberStatsView,
} from './delivery-views';
import { pagedAnswer, PagedView, PagedRequest, PagedResponse } from '../paging/page-headers';
import { AdminKeyGuard } from '../auth/api-key.guard';
import { RateLimitGuard } from '../auth/rate-limit.guard';
import { DeliveriesQueryDto, RecoverQueryDto } from './deliveries-dto';
import { DeliveryReader } from './delivery-reader';
import { retryOf } from './delivery-retry';
import { RecordIdPipe } from '../validation/record-id.pipe';

/** The delivery log (admin key). */
@ApiTags('deliveries')
@ApiSecurity('api-key')
@ApiCookieAuth('session')
@ApiErrors(400, 401, 404, 409, 429, 503)
@UseGuards(AdminKeyGuard, RateLimitGuard)
@UsePipes(strictValidation)
@Controller()
export class DeliveriesController {
  constructor(
    private readonly deliveries: DeliveryReader,
    private readonly publisher: StreamPublisher,
  ) {}

  /** Newest first; one page, the next one's cursor in `next_cursor` (and `X-Next-Cursor`, `Link: rel="next"`). */
  @Get('api/deliveries')
  @ApiOkResponse({ type: PagedView(DeliveryView, 'PagedDeliveries') })
  @ApiHeader({
    name: 'X-Next-Cursor',
    required: false,
    description: 'answer header: the next page',
  })
  async list(
    @Query() query: DeliveriesQueryDto,
    @Req() request: PagedRequest,
    @Res({ passthrough: true }) response: PagedResponse,
  ) {
    return pagedAnswer(await this.deliveries.list(query), request, response);
  }

  /** One delivery with every attempt. */
  @Get('api/deliveries/:id')
  @ApiOkResponse({ type: DeliveryDetailView })
  get(@Param('id') id: string) {
    return this.deliveries.get(id);
  }

  /**
   * One more attempt, now, whatever the delivery's status (a receiver that lost a message gets
   * it again, with the same webhook-id); answered once the command is written, the log shows
   * the result.
   */
  @Post('api/deliveries/:id/retry')
  @HttpCode(202)
  @ApiAcceptedResponse({ type: RetryAcceptedView })
  async retry(@Param('id') id: string) {
    const delivery = await this.deliveries.row(id);
    if (delivery.body === null) {
      throw new ConflictException(
        `delivery ${id} has no body in the log (it was over the attempts topic's max.message.bytes); replay the subscriber from the event instead`,
      );
    }
    await this.publisher.publishRetries([retryOf(delivery)]);
    return { success: true, accepted: true, delivery_id: id, timestamp: new Date().toISOString() };
  }

  /** Sends again every failed or dead delivery of the subscriber since a time. */
  @Post('api/subscribers/:id/recover')
  @HttpCode(202)
  @ApiAcceptedResponse({ type: RecoverAcceptedView })
  async recover(@Param('id', new RecordIdPipe('id')) id: number, @Query() query: RecoverQueryDto) {
    const rows = await this.deliveries.recoverable(id, query.since);
    await this.publisher.publishRetries(rows.map(retryOf));
    return { success: true, requeued: rows.length, timestamp: new Date().toISOString() };
  }

  /** Success rate and p50/p99 attempt latency. */
  @Get('api/subscribers/:id/stats')
  @ApiOkResponse({ type: SubscriberStatsView })
  stats(@Param('id', new RecordIdPipe('id')) id: number) {
    return this.deliveries.stats(id);
  }
}
