import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AlertInputs } from './overview-alerts';
import { MinuteChanges } from './change-series';

/** The overview's reads of the service database. */
@Injectable()
export class OverviewReader {
  constructor(private readonly dataSource: DataSource) {}

  changesSince(since: Date): Promise<MinuteChanges[]> {
    return this.dataSource.query(
      `SELECT model, minute, changes FROM change_rate WHERE minute > $1`,
      [since],
    );
  }

  disabledSubscribers(): Promise<AlertInputs['disabled']> {
    return this.dataSource.query(
      `SELECT id, name, disabled_reason FROM webhook_subscriber WHERE NOT enabled ORDER BY id`,
    );
  }

  /** Dead deliveries per subscriber (the status index: only the dead rows are read). */
  deadDeliveries(): Promise<AlertInputs['dead']> {
    return this.dataSource.query(
      `SELECT d.subscriber_id, s.name, count(*)::int AS count
       FROM webhook_delivery d LEFT JOIN webhook_subscriber s ON s.id = d.subscriber_id
       WHERE d.status = 'dead' GROUP BY d.subscriber_id, s.name ORDER BY d.subscriber_id`,
    );
  }
}
