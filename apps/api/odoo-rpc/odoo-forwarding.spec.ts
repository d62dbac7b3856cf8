import { withoutCookie } from './odoo-forwarding';

describe('withoutCookie', () => {
  it("drops the dashboard's session and keeps Odoo's own cookies", () => {
    expect(
      withoutCookie(
        'session_id=abc; odoo_stream_session=jwt.x.y; frontend_lang=en_US',
        'odoo_stream_session',
      ),
    ).toBe('session_id=abc; frontend_lang=en_US');
    expect(withoutCookie('odoo_stream_session=jwt', 'odoo_stream_session')).toBe('');
    expect(withoutCookie('session_id=abc', 'odoo_stream_session')).toBe('session_id=abc');
  });
});
