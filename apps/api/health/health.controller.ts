import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { KafkaHealthIndicator } from './kafka.health';
import { ComponentsHealthIndicator } from './components.health';

@ApiTags('health')
@Controller('health')
export class HealthController {
  private readonly startedAt = Date.now();

  constructor(
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
    private readonly kafka: KafkaHealthIndicator,
    private readonly components: ComponentsHealthIndicator,
  ) {}

  /** Liveness: the process answers. */
  @Get()
  @ApiOkResponse({ description: 'The api process is alive.' })
  live() {
    return { status: 'ok', uptime_s: Math.round((Date.now() - this.startedAt) / 1000) };
  }

  /**
   * Readiness: Kafka and the service database answer, and no app of this process is retrying
   * after a failure; a 503 names the one that is not ready and why.
   */
  @Get('ready')
  @HealthCheck()
  @ApiOkResponse({ description: 'Kafka and the database are reachable.' })
  @ApiServiceUnavailableResponse({
    description: 'Kafka or the database is not; `error` says which.',
  })
  ready() {
    return this.health.check([
      () => this.kafka.isReady('kafka'),
      () => this.database.pingCheck('database', { timeout: 3000 }),
      () => this.components.check('components'),
    ]);
  }
}
