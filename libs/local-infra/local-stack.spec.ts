import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { localStackHome } from './local-stack';

describe('localStackHome', () => {
  it('uses ODOO_STREAM_HOME when set', () => {
    expect(localStackHome({ ODOO_STREAM_HOME: '/srv/odoo-stream' }, '/work/odoo-stream')).toBe(
      '/srv/odoo-stream',
    );
  });

  it('keeps data in .data of the checkout when the cluster user can reach it', () => {
    // tmpdir() is world-traversable, as a checkout under /tmp or /srv is.
    const checkout = tmpdir();
    expect(localStackHome({}, checkout)).toBe(join(checkout, '.data'));
  });

  it('falls back under the temp dir when, as root, the checkout sits in a private folder', () => {
    const home = localStackHome({}, '/root/private/odoo-stream');
    if (process.getuid?.() === 0) {
      expect(home).toMatch(new RegExp(`^${tmpdir()}/odoo-stream-[0-9a-f]{12}$`));
    } else {
      expect(home).toBe('/root/private/odoo-stream/.data');
    }
  });
});
