import { Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { APP_CONFIG, AppConfig } from '@odoo-stream/config';
import { TOKEN_SECRET } from '../auth/device-tokens';

export const SESSION_COOKIE = 'odoo_stream_session';
/** A dashboard session lasts a working day; signing in again starts a new one. */
export const SESSION_SECONDS = 8 * 3600;
/**
 * What the dashboard sends with every request that changes something: a cross-site form cannot
 * set a header, and a cross-site script cannot without a CORS preflight, which these paths refuse.
 */
export const CSRF_HEADER = 'x-odoo-stream-dashboard';

interface SessionClaims {
  typ: 'session';
  /** The name of the admin key signed in with (never the key). */
  key: string;
}

export interface SessionRequest {
  method?: string;
  headers: Record<string, string | string[] | undefined>;
}

/** The token inside the session cookie, if the request carries one. */
export function sessionCookie(request: SessionRequest): string | undefined {
  const header = request.headers.cookie;
  const cookies = Array.isArray(header) ? header.join('; ') : (header ?? '');
  return new RegExp(`(?:^|;\\s*)${SESSION_COOKIE}=([^;]+)`).exec(cookies)?.[1];
}

/**
 * Dashboard sessions: an admin key exchanged for a signed, expiring token in an http-only,
 * same-site cookie. The session names the key; removing the key from ADMIN_API_KEYS ends it.
 */
@Injectable()
export class DashboardSessions {
  private readonly jwt: JwtService;

  constructor(
    @Inject(TOKEN_SECRET) secret: string,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.jwt = new JwtService({ secret, signOptions: { algorithm: 'HS256' } });
  }

  issue(keyName: string): { token: string; expiresAt: Date } {
    const claims: SessionClaims = { typ: 'session', key: keyName };
    return {
      token: this.jwt.sign(claims, { expiresIn: SESSION_SECONDS }),
      expiresAt: new Date(Date.now() + SESSION_SECONDS * 1000),
    };
  }

  /** The key name of a valid session, with when it ends; throws a 401 saying why otherwise. */
  verify(token: string): { keyName: string; expiresAt: Date } {
    let claims: SessionClaims & { exp: number };
    try {
      claims = this.jwt.verify(token, { algorithms: ['HS256'] });
    } catch (error) {
      const expired = (error as Error).name === 'TokenExpiredError';
      throw new UnauthorizedException(
        expired
          ? 'the session has expired: sign in again'
          : 'the session is not valid: sign in again',
      );
    }
    if (claims.typ !== 'session') throw new UnauthorizedException('not a dashboard session');
    if (!this.config.auth.adminKeys.some((k) => k.name === claims.key)) {
      throw new UnauthorizedException(
        `admin key ${claims.key} is no longer configured: sign in again`,
      );
    }
    return { keyName: claims.key, expiresAt: new Date(claims.exp * 1000) };
  }

  /**
   * The principal of a request signed in through the dashboard, or undefined when it has no
   * session cookie. A request that changes something must also carry the dashboard's header.
   */
  principalOf(request: SessionRequest): string | undefined {
    const token = sessionCookie(request);
    if (!token) return undefined;
    const { keyName } = this.verify(token);
    const safe = ['GET', 'HEAD', 'OPTIONS'].includes((request.method ?? 'GET').toUpperCase());
    if (!safe && request.headers[CSRF_HEADER] !== '1') {
      throw new UnauthorizedException(
        `a signed-in request that changes something must send the ${CSRF_HEADER}: 1 header`,
      );
    }
    return `session:${keyName}`;
  }
}
