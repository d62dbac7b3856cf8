/** The dashboard's session cookie. */
export const SESSION_COOKIE = 'odoo_stream_session';
/** A dashboard session lasts a working day; signing in again starts a new one. */
export const SESSION_SECONDS = 8 * 3600;
/**
 * What the dashboard sends with every request that changes something: a cross-site form cannot
 * set a header, and a cross-site script cannot without a CORS preflight, which these paths refuse.
 */
export const CSRF_HEADER = 'x-odoo-stream-dashboard';

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

/** Why a signed-in request is refused as a possible cross-site forgery; undefined: it is not. */
export function csrfRefusal(request: SessionRequest): string | undefined {
  const safe = ['GET', 'HEAD', 'OPTIONS'].includes((request.method ?? 'GET').toUpperCase());
  if (safe || request.headers[CSRF_HEADER] === '1') return undefined;
  return `a signed-in request that changes something must send the ${CSRF_HEADER}: 1 header`;
}
