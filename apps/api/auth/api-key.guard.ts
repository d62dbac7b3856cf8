import {
  CanActivate,
  ExecutionContext,
  Inject,
  Injectable,
  UnauthorizedException,
} from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@odoo-stream/config';
import { ApiKeyHash, matchApiKey } from './api-keys';
import { AuthenticatedRequest } from './principal';
import { DashboardSessions } from '../dashboard/dashboard-sessions';
import { SessionRequest } from '../dashboard/session-rules';

/** Sets the request's principal from `X-API-Key`, which must be one of `keys`. */
function authenticate(
  context: ExecutionContext,
  keys: ApiKeyHash[],
  variable: string,
  kind: string,
): boolean {
  const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
  const presented = request.headers['x-api-key'];
  if (keys.length === 0) {
    throw new UnauthorizedException(`no ${kind} keys are configured on this server (${variable})`);
  }
  if (typeof presented !== 'string' || presented === '') {
    throw new UnauthorizedException('missing X-API-Key header');
  }
  const name = matchApiKey(presented, keys);
  if (!name) throw new UnauthorizedException(`X-API-Key is not a valid ${kind} key`);
  request.principal = `key:${name}`;
  return true;
}

/** Integration clients: `X-API-Key` must be one of the keys configured in API_KEYS. */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  canActivate(context: ExecutionContext): boolean {
    return authenticate(context, this.config.auth.apiKeys, 'API_KEYS', 'API');
  }
}

/**
 * Operators: `X-API-Key` must be one of ADMIN_API_KEYS, or (without that header) the request
 * carries the session cookie the dashboard got by signing in with one.
 */
@Injectable()
export class AdminKeyGuard implements CanActivate {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly sessions: DashboardSessions,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest & SessionRequest>();
    if (request.headers['x-api-key'] === undefined) {
      const principal = await this.sessions.principalOf(request);
      if (principal) {
        request.principal = principal;
        return true;
      }
    }
    return authenticate(context, this.config.auth.adminKeys, 'ADMIN_API_KEYS', 'admin');
  }
}
