import { Controller, Get, Header } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { metricsRegistry } from '@odoo-stream/observability';

@ApiTags('metrics')
@Controller('metrics')
export class MetricsController {
  @Get()
  @Header('Content-Type', metricsRegistry().contentType)
  @ApiOkResponse({ description: 'Prometheus text exposition format.' })
  metrics(): Promise<string> {
    return metricsRegistry().metrics();
  }
}
