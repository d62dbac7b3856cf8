import { Controller, Get, UseGuards } from '@nestjs/common';
import { ApiCookieAuth, ApiOkResponse, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { AdminKeyGuard } from '../auth/api-key.guard';
import { RateLimitGuard } from '../auth/rate-limit.guard';
import { ApiErrors } from '../errors/api-errors.decorator';
import { ApiIncidentOperations } from '../operations/api-incident-operations';
import { CaptureLagReader } from './capture-lag';
import { DeadLetterCount } from './dead-letter-count';
import { changeSeries, MinuteChanges } from './change-series';
import { LagHistory } from './lag-history';
import { OverviewView } from './overview-dto';

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
    private readonly dataSource: DataSource,
    private readonly operations: ApiIncidentOperations,
    private readonly capture: CaptureLagReader,
    private readonly deadLetters: DeadLetterCount,
  ) {}

  @Get()
  @ApiOkResponse({ type: OverviewView })
  async overview(): Promise<OverviewView> {
    const now = new Date();
    const [rates, capture, consumers, disabled, dead, letters] = await Promise.all([
      this.dataSource.query(`SELECT model, minute, changes FROM change_rate WHERE minute > $1`, [
        new Date(now.getTime() - 3_600_000),
      ]) as Promise<MinuteChanges[]>,
      this.capture.read(),
      this.operations.get().then((o) => o.consumers()),
      this.dataSource.query(
        `SELECT id, name, disabled_reason FROM webhook_subscriber WHERE NOT enabled ORDER BY id`,
      ) as Promise<Array<{ id: number; name: string; disabled_reason: string | null }>>,
      this.dataSource.query(
        `SELECT d.subscriber_id, s.name, count(*)::int AS count
         FROM webhook_delivery d LEFT JOIN webhook_subscriber s ON s.id = d.subscriber_id
         WHERE d.status = 'dead' GROUP BY d.subscriber_id, s.name ORDER BY d.subscriber_id`,
      ) as Promise<Array<{ subscriber_id: number; name: string | null; count: number }>>,
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
      alerts: [
        ...(capture.status === 'stopped' || capture.status === 'not-found'
          ? [{ kind: 'capture-stopped', message: `capture is not reading slot ${capture.slot}` }]
          : []),
        ...disabled.map((s) => ({
          kind: 'subscriber-disabled',
          subscriber_id: s.id,
          message: `subscriber ${s.name} is disabled${s.disabled_reason ? `: ${s.disabled_reason}` : ''}`,
        })),
        ...dead.map((d) => ({
          kind: 'dead-deliveries',
          subscriber_id: d.subscriber_id,
          count: d.count,
          message: `${d.count} dead ${d.count === 1 ? 'delivery' : 'deliveries'} for subscriber ${d.name ?? d.subscriber_id}`,
        })),
        ...(letters > 0
          ? [
              {
                kind: 'dead-letters',
                count: letters,
                message: `${letters} ${letters === 1 ? 'event' : 'events'} a projection could not apply, on ${this.deadLetters.topic}`,
              },
            ]
          : []),
      ],
    };
  }
}
