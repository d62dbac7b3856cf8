import { JwtService } from '@nestjs/jwt';
import { AppConfig } from '@odoo-stream/config';
import { DashboardSessions, sessionCookie } from './dashboard-sessions';

const SECRET = 'dashboard-session-test-secret-0123456789';

function sessions(keyNames: string[]) {
  const config = {
    auth: { adminKeys: keyNames.map((name) => ({ name, sha256: '0'.repeat(64) })) },
  };
  return new DashboardSessions(SECRET, config as unknown as AppConfig);
}

const request = (token: string, method = 'GET', headers: Record<string, string> = {}) => ({
  method,
  headers: { cookie: `session_id=odoo; odoo_stream_session=${token}`, ...headers },
});

describe('DashboardSessions', () => {
  it('names the admin key a session was opened with', () => {
    const s = sessions(['operator']);
    const { token, expiresAt } = s.issue('operator');
    expect(s.principalOf(request(token))).toBe('session:operator');
    expect(expiresAt.getTime()).toBeGreaterThan(Date.now() + 7 * 3600 * 1000);
    expect(sessionCookie(request(token))).toBe(token);
  });

  it('asks a request that changes something for the dashboard header', () => {
    const s = sessions(['operator']);
    const { token } = s.issue('operator');
    expect(() => s.principalOf(request(token, 'POST'))).toThrow(
      /must send the x-odoo-stream-dashboard: 1 header/,
    );
    expect(s.principalOf(request(token, 'DELETE', { 'x-odoo-stream-dashboard': '1' }))).toBe(
      'session:operator',
    );
  });

  it('ends sessions of a key no longer configured, expired or forged', () => {
    const { token } = sessions(['old']).issue('old');
    expect(() => sessions(['operator']).principalOf(request(token))).toThrow(
      /admin key old is no longer configured/,
    );
    const expired = new JwtService({ secret: SECRET }).sign(
      { typ: 'session', key: 'operator' },
      { expiresIn: -10 },
    );
    expect(() => sessions(['operator']).principalOf(request(expired))).toThrow(
      /session has expired: sign in again/,
    );
    const device = new JwtService({ secret: SECRET }).sign({ typ: 'device', key: 'operator' });
    expect(() => sessions(['operator']).principalOf(request(device))).toThrow(
      /not a dashboard session/,
    );
    const other = new JwtService({ secret: 'another-secret-0123456789abcdef' }).sign({
      typ: 'session',
      key: 'operator',
    });
    expect(() => sessions(['operator']).principalOf(request(other))).toThrow(
      /session is not valid/,
    );
  });

  it('has no principal for a request without its cookie', () => {
    expect(sessions(['operator']).principalOf({ headers: { cookie: 'session_id=odoo' } })).toBe(
      undefined,
    );
  });
});
