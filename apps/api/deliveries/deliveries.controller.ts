import { Controller, Get, Param, ParseIntPipe, Query, UseGuards } from '@nestjs/common';
import { ApiSecurity, ApiTags } from '@nestjs/swagger';
import { AdminKeyGuard } from '../auth/api-key.guard';
import { RateLimitGuard } from '../auth/rate-limit.guard';
import { DeliveriesQueryDto } from './deliveries-dto';
import { DeliveryReader } from './delivery-reader';

/** The delivery log (admin key). */
@ApiTags('deliveries')
@ApiSecurity('api-key')
@UseGuards(AdminKeyGuard, RateLimitGuard)
@Controller()
export class DeliveriesController {
  constructor(private readonly deliveries: DeliveryReader) {}

  @Get('api/deliveries')
  list(@Query() query: DeliveriesQueryDto) {
    return this.deliveries.list(query);
  }

  /** One delivery with every attempt. */
  @Get('api/deliveries/:id')
  get(@Param('id') id: string) {
    return this.deliveries.get(id);
  }

  /** Success rate and p50/p99 attempt latency. */
  @Get('api/subscribers/:id/stats')
  stats(@Param('id', ParseIntPipe) id: number) {
    return this.deliveries.stats(id);
  }
}
