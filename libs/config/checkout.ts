import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The odoo-stream checkout this code runs from (source or dist), found by its package.json. */
export function repoRoot(from: string = __dirname): string {
  let dir = from;
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && JSON.parse(readFileSync(manifest, 'utf8')).name === 'odoo-stream') {
      return dir;
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no odoo-stream checkout above ${from}`);
    dir = parent;
  }
}

/** odoo-stream's version, from its package.json. */
export function serviceVersion(): string {
  return JSON.parse(readFileSync(join(repoRoot(), 'package.json'), 'utf8')).version as string;
}
