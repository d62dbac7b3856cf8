import { Controller, Get, Query, Req, Res, UseGuards, UsePipes } from '@nestjs/common';
import { ApiCookieAuth, ApiOkResponse, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { AdminKeyGuard } from '../auth/api-key.guard';
import { RateLimitGuard } from '../auth/rate-limit.guard';
import { ApiErrors } from '../errors/api-errors.decorator';
import { pagedAnswer, PagedRequest, PagedResponse, PagedView } from '../paging/page-headers';
import { strictValidation } from '../validation/validation-pipes';
import { DeviceView, DevicesQueryDto } from './devices-dto';
import { SyncStateReader } from './sync-state-reader';

/** Every smart-sync device, for operators: checkpoints and how far behind the feed each is. */
@ApiTags('devices')
@ApiSecurity('api-key')
@ApiCookieAuth('session')
@ApiErrors(400, 401, 429)
@UseGuards(AdminKeyGuard, RateLimitGuard)
@UsePipes(strictValidation)
@Controller('api/devices')
export class DevicesController {
  constructor(private readonly reader: SyncStateReader) {}

  /** By user, then device. */
  @Get()
  @ApiOkResponse({ type: PagedView(DeviceView, 'PagedDevices') })
  async list(
    @Query() q: DevicesQueryDto,
    @Req() request: PagedRequest,
    @Res({ passthrough: true }) response: PagedResponse,
  ) {
    const page = await this.reader.devices(q);
    return pagedAnswer(page, request, response);
  }
}
