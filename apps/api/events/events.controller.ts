import { Controller, Get, Param, Query, Req, Res, UseGuards, UsePipes } from '@nestjs/common';
import { ApiCookieAuth, ApiOkResponse, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { AdminKeyGuard } from '../auth/api-key.guard';
import { RateLimitGuard } from '../auth/rate-limit.guard';
import { ApiErrors } from '../errors/api-errors.decorator';
import { pagedAnswer, PagedRequest, PagedResponse, PagedView } from '../paging/page-headers';
import { ModelNamePipe } from '../validation/model-name.pipe';
import { RecordIdPipe } from '../validation/record-id.pipe';
import { strictValidation } from '../validation/validation-pipes';
import { EventReader } from './event-reader';
import {
  EventDetailView,
  EventsQueryDto,
  EventSummaryView,
  RecordTimelineView,
} from './events-dto';

/** The event index the dashboard browses: what capture wrote to the model topics. */
@ApiTags('events')
@ApiSecurity('api-key')
@ApiCookieAuth('session')
@ApiErrors(400, 401, 404, 429)
@UseGuards(AdminKeyGuard, RateLimitGuard)
@UsePipes(strictValidation)
@Controller()
export class EventsController {
  constructor(private readonly events: EventReader) {}

  /** Newest first; filter by model, operation, record and commit time. */
  @Get('api/events')
  @ApiOkResponse({ type: PagedView(EventSummaryView, 'PagedEvents') })
  async list(
    @Query() query: EventsQueryDto,
    @Req() request: PagedRequest,
    @Res({ passthrough: true }) response: PagedResponse,
  ) {
    return pagedAnswer(await this.events.list(query), request, response);
  }

  /** One event, with the record before and after it. */
  @Get('api/events/:eventId')
  @ApiOkResponse({ type: EventDetailView })
  get(@Param('eventId') eventId: string) {
    return this.events.get(eventId);
  }

  /** Every event of one record, with the deliveries of each and its place in the feed. */
  @Get('api/records/:model/:id/timeline')
  @ApiOkResponse({ type: RecordTimelineView })
  timeline(
    @Param('model', ModelNamePipe) model: string,
    @Param('id', new RecordIdPipe('id')) id: number,
  ) {
    return this.events.timeline(model, id);
  }
}
