import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { Pool, QueryResultRow } from 'pg';
import { APP_CONFIG, AppConfig } from '@odoo-stream/config';

/**
 * The api's one connection to the Odoo database (ODOO_DATABASE_URL), opened on first use: the
 * models installed, the replication slot's state.
 */
@Injectable()
export class OdooDatabase implements OnModuleDestroy {
  private pool?: Pool;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  get configured(): boolean {
    return Boolean(this.config.odooDatabaseUrl);
  }

  async query<T extends QueryResultRow>(sql: string, params: unknown[] = []): Promise<T[]> {
    if (!this.config.odooDatabaseUrl) throw new Error('ODOO_DATABASE_URL is not set');
    this.pool ??= new Pool({ connectionString: this.config.odooDatabaseUrl, max: 1 });
    return (await this.pool.query<T>(sql, params)).rows;
  }

  async onModuleDestroy(): Promise<void> {
    await this.pool?.end();
  }
}
