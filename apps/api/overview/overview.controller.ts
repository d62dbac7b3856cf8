import { Controller, Get, UseGuards } from '@nestjs/common';
import { ApiCookieAuth, ApiOkResponse, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { AdminKeyGuard } from '../auth/api-key.guard';
import { RateLimitGuard } from '../auth/rate-limit.guard';
import { ApiErrors } from '../errors/api-errors.decorator';
import { ApiIncidentOperations } from '../operations/api-incident-operations';
import { CaptureLagReader } from './capture-lag';
import { changeSeries } from './change-series';
import { DeadLetterCount } from './dead-letter-count';
import { LagHistory } from './lag-history';
import { overviewAlerts } from './overview-alerts';
import { OverviewView } from './overview-dto';
import { OverviewReader } from './overview-reader';

/** The dashboard's first page, in one answer: throughput, lags, alerts. */
@ApiTags('dashboard')
@ApiSecurity('api-key')
@ApiCookieAuth('session')
@ApiErrors(401, 429, 503)
@UseGuards(AdminKeyGuard, RateLimitGuard)
@Controller('api/overview')
export class OverviewController {
  private readonly history = new LagHistory();

  constructor(
    private readonly reader: OverviewReader,
    private readonly operations: ApiIncidentOperations,
    private readonly capture: CaptureLagReader,
    private readonly deadLetters: DeadLetterCount,
  ) {}

  @Get()
  @ApiOkResponse({ type: OverviewView })
  async overview(): Promise<OverviewView> {
    const now = new Date();
    const [rates, capture, consumers, disabled, dead, letters] = await Promise.all([
      this.reader.changesSince(new Date(now.getTime() - 3_600_000)),
      this.capture.read(),
      this.operations.get().then((o) => o.consumers()),
      this.reader.disabledSubscribers(),
      this.reader.deadDeliveries(),
      this.deadLetters.read(),
    ]);
    this.history.record(now.getTime(), consumers);
    return {
      at: now.toISOString(),
      changes: changeSeries(rates, now),
      capture,
      consumers: consumers.map((c) => ({
        name: c.name,
        group: c.group,
        state: c.state,
        lag: c.lag,
        trend: this.history.trend(c.name),
      })),
      alerts: overviewAlerts({
        capture,
        disabled,
        dead,
        deadLetters: { topic: this.deadLetters.topic, count: letters },
      }),
    };
  }
}
