import {
  CanActivate,
  ExecutionContext,
  ForbiddenException,
  Inject,
  Injectable,
  UnauthorizedException,
} from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '@odoo-stream/config';
import { matchApiKey } from '../auth/api-keys';
import { AuthenticatedRequest } from '../auth/principal';
import { DashboardSessions } from '../dashboard/dashboard-sessions';

/**
 * Conversations are for the bot's operators: an admin key (or a dashboard session), or an API
 * key whose name the administrator listed in the bot's `operators`.
 */
@Injectable()
export class TelegramOperatorGuard implements CanActivate {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly db: DataSource,
    private readonly sessions: DashboardSessions,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context
      .switchToHttp()
      .getRequest<AuthenticatedRequest & { params: Record<string, string> }>();
    const presented = request.headers['x-api-key'];
    if (presented === undefined) {
      // Signed in to the dashboard: an admin.
      const principal = await this.sessions.principalOf(request);
      if (principal) {
        request.principal = principal;
        return true;
      }
    }
    if (typeof presented !== 'string' || presented === '') {
      throw new UnauthorizedException('missing X-API-Key header');
    }
    const admin = matchApiKey(presented, this.config.auth.adminKeys);
    if (admin) {
      request.principal = `key:${admin}`;
      return true;
    }
    const name = matchApiKey(presented, this.config.auth.apiKeys);
    if (!name) throw new UnauthorizedException('X-API-Key is not a valid key');
    const id = Number(request.params.id);
    const [bot] = Number.isSafeInteger(id)
      ? await this.db.query(`SELECT operators FROM telegram_bot WHERE id = $1`, [id])
      : [];
    if (!bot || !(bot.operators as string[]).includes(name)) {
      throw new ForbiddenException(`key ${name} is not an operator of this bot`);
    }
    request.principal = `key:${name}`;
    return true;
  }
}
