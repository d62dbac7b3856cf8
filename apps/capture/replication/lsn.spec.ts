import { formatLsn, maxLsn, parseLsn } from './lsn';

describe('LSN', () => {
  it('reads and prints LSNs as PostgreSQL does', () => {
    expect(parseLsn('16/B374D848')).toBe((0x16n << 32n) | 0xb374d848n);
    expect(formatLsn(parseLsn('16/B374D848'))).toBe('16/B374D848');
    expect(formatLsn(parseLsn('0/0'))).toBe('0/0');
  });

  it('orders LSNs numerically, not as text', () => {
    expect(maxLsn('0/9', '0/10')).toBe('0/10');
    expect(maxLsn('1/0', '0/FFFFFFFF')).toBe('1/0');
  });

  it('refuses what is not an LSN', () => {
    expect(() => parseLsn('16-B374')).toThrow("'16-B374' is not an LSN");
  });
});
