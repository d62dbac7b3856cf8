import {
  CanActivate,
  ExecutionContext,
  Inject,
  Injectable,
  UnauthorizedException,
} from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@odoo-stream/config';
import { matchApiKey } from './api-keys';
import { AuthenticatedRequest } from './principal';

/** Integration clients: `X-API-Key` must be one of the keys configured in API_KEYS. */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const presented = request.headers['x-api-key'];
    if (this.config.auth.apiKeys.length === 0) {
      throw new UnauthorizedException('no API keys are configured on this server (API_KEYS)');
    }
    if (typeof presented !== 'string' || presented === '') {
      throw new UnauthorizedException('missing X-API-Key header');
    }
    const name = matchApiKey(presented, this.config.auth.apiKeys);
    if (!name) throw new UnauthorizedException('X-API-Key is not a valid key');
    request.principal = `key:${name}`;
    return true;
  }
}
