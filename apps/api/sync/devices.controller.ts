import { Controller, Get, Query, Req, Res, UseGuards, UsePipes } from '@nestjs/common';
import { ApiCookieAuth, ApiOkResponse, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { AdminKeyGuard } from '../auth/api-key.guard';
import { RateLimitGuard } from '../auth/rate-limit.guard';
import { ApiErrors } from '../errors/api-errors.decorator';
import { decodeCursor, pageOf } from '../paging/cursor';
import { pagedAnswer, PagedRequest, PagedResponse, PagedView } from '../paging/page-headers';
import { strictValidation } from '../validation/validation-pipes';
import { BEHIND_CAP, DeviceView, DevicesQueryDto } from './devices-dto';

/** Every smart-sync device, for operators: checkpoints and how far behind the feed each is. */
@ApiTags('devices')
@ApiSecurity('api-key')
@ApiCookieAuth('session')
@ApiErrors(400, 401, 429)
@UseGuards(AdminKeyGuard, RateLimitGuard)
@UsePipes(strictValidation)
@Controller('api/devices')
export class DevicesController {
  constructor(private readonly dataSource: DataSource) {}

  /** By user, then device. */
  @Get()
  @ApiOkResponse({ type: PagedView(DeviceView, 'PagedDevices') })
  async list(
    @Query() q: DevicesQueryDto,
    @Req() request: PagedRequest,
    @Res({ passthrough: true }) response: PagedResponse,
  ) {
    const [afterUser, afterDevice] = q.cursor
      ? decodeCursor<[number, string]>(q.cursor, ['number', 'string'])
      : [null, null];
    const rows: Array<Record<string, unknown>> = await this.dataSource.query(
      `SELECT s.id, s.user_id, s.device_id, s.app_type, s.last_event_id, s.last_sync_time,
         s.sync_count, s.is_active, s.app_version, s.total_events_synced,
         (SELECT count(*) FROM (SELECT 1 FROM update_webhook w WHERE w.id > s.last_event_id
            LIMIT ${BEHIND_CAP + 1}) behind)::int AS behind
       FROM user_sync_state s
       WHERE ($1::bigint IS NULL OR s.user_id = $1) AND ($2::text IS NULL OR s.app_type = $2)
         AND ($4::bigint IS NULL OR (s.user_id, s.device_id) > ($4, $5))
       ORDER BY s.user_id, s.device_id LIMIT $3 + 1`,
      [q.user_id ?? null, q.app_type ?? null, q.limit, afterUser, afterDevice],
    );
    const devices = rows.map(({ behind, ...row }) => ({
      ...row,
      device_id: String(row.device_id),
      user_id: Number(row.user_id),
      last_event_id: Number(row.last_event_id),
      total_events_synced: Number(row.total_events_synced),
      events_behind: Math.min(Number(behind), BEHIND_CAP),
      behind_capped: Number(behind) > BEHIND_CAP,
    }));
    const page = pageOf(devices, q.limit, (d) => [d.user_id, d.device_id]);
    return pagedAnswer(page, request, response);
  }
}
