import { csrfRefusal, sessionCookie } from './session-rules';

describe('dashboard session rules', () => {
  it("finds the session cookie among Odoo's and others", () => {
    expect(
      sessionCookie({ headers: { cookie: 'session_id=odoo; odoo_stream_session=tok-1; lang=en' } }),
    ).toBe('tok-1');
    expect(sessionCookie({ headers: { cookie: 'session_id=odoo' } })).toBeUndefined();
    expect(sessionCookie({ headers: {} })).toBeUndefined();
  });

  it('asks a signed-in request that changes something for the dashboard header', () => {
    expect(csrfRefusal({ method: 'GET', headers: {} })).toBeUndefined();
    expect(csrfRefusal({ method: 'POST', headers: {} })).toMatch(
      /must send the x-odoo-stream-dashboard: 1 header/,
    );
    expect(csrfRefusal({ method: 'DELETE', headers: { 'x-odoo-stream-dashboard': '1' } })).toBe(
      undefined,
    );
    expect(csrfRefusal({ method: 'PATCH', headers: { 'x-odoo-stream-dashboard': 'yes' } })).toMatch(
      /x-odoo-stream-dashboard/,
    );
  });
});
