import {
  CanActivate,
  ExecutionContext,
  HttpException,
  Inject,
  Injectable,
  SetMetadata,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { APP_CONFIG, AppConfig } from '@odoo-stream/config';
import { matchApiKey } from '../auth/api-keys';
import { AuthenticatedRequest } from '../auth/principal';

const ACCESS = 'schema-registry-access';
/** Marks a registry route as a read or a write (SCHEMA_REGISTRY_AUTH decides which need a key). */
export const RegistryAccess = (access: 'read' | 'write') => SetMetadata(ACCESS, access);

/**
 * The built-in registry's access control. An admin key is taken as `X-API-Key`, or as the
 * password of HTTP Basic authentication, which is how Confluent's clients send credentials
 * (`basic.auth.user.info=<name>:<key>`). Refusals in Confluent's error shape.
 */
@Injectable()
export class RegistryAuthGuard implements CanActivate {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly reflector: Reflector,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const access = this.reflector.get<'read' | 'write'>(ACCESS, context.getHandler()) ?? 'write';
    const mode = this.config.auth.schemaRegistryAuth;
    if (mode === 'none' || (mode === 'writes' && access === 'read')) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const key = presentedKey(request.headers);
    const what =
      access === 'write' ? 'registering schemas and changing compatibility' : 'this registry';
    if (this.config.auth.adminKeys.length === 0) {
      throw unauthorized(`${what} needs an admin key, and none is configured (ADMIN_API_KEYS)`);
    }
    if (!key) {
      throw unauthorized(
        `${what} needs an admin key: send it as X-API-Key, or as the password of HTTP Basic authentication`,
      );
    }
    const name = matchApiKey(key, this.config.auth.adminKeys);
    if (!name) throw unauthorized('the key is not an admin key');
    request.principal = `key:${name}`;
    return true;
  }
}

function presentedKey(headers: AuthenticatedRequest['headers']): string | undefined {
  const apiKey = headers['x-api-key'];
  if (typeof apiKey === 'string' && apiKey !== '') return apiKey;
  const authorization = headers.authorization;
  if (typeof authorization !== 'string') return undefined;
  const [scheme, encoded] = authorization.split(' ');
  if (scheme?.toLowerCase() !== 'basic' || !encoded) return undefined;
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon >= 0 && colon < decoded.length - 1 ? decoded.slice(colon + 1) : undefined;
}

/** Confluent answers 401 with `{"error_code": 401, "message": ...}`. */
function unauthorized(message: string): HttpException {
  return new HttpException({ error_code: 401, message }, 401);
}
