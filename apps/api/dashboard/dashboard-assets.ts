import { NestExpressApplication } from '@nestjs/platform-express';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';

/** The dashboard's build (`npm run build` writes it to dist/dashboard), wherever this file runs from. */
export function dashboardBuild(from = __dirname): string | undefined {
  for (let dir = from; dir !== dirname(dir); dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) {
      const build = join(dir, 'dist', 'dashboard');
      return existsSync(join(build, 'index.html')) ? build : undefined;
    }
  }
  return undefined;
}

/** The page may load only its own scripts and styles, and no other site may frame it. */
const PAGE_HEADERS = {
  'Content-Security-Policy':
    "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-cache',
};

type Request = IncomingMessage & { path: string; method: string };

/**
 * Serves the dashboard: its page at `/dashboard/` (and at `/` unless `/` belongs to the Odoo the
 * api forwards to), its assets under `/dashboard/assets/` (named by content: cached for good).
 */
export function serveDashboard(app: NestExpressApplication, options: { atRoot: boolean }): void {
  const build = dashboardBuild();
  const page = (
    req: Request,
    res: ServerResponse & { sendFile(path: string): void },
    next: () => void,
  ) => {
    const at = req.path.replace(/\/+$/, '');
    const isPage = at === '/dashboard' || (options.atRoot && at === '');
    if (!isPage || (req.method !== 'GET' && req.method !== 'HEAD')) return next();
    if (!build) {
      res.writeHead(503, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('the dashboard is not built: run npm run build');
      return;
    }
    for (const [name, value] of Object.entries(PAGE_HEADERS)) res.setHeader(name, value);
    res.sendFile(join(build, 'index.html'));
  };
  app.use(page);
  if (build) {
    app.useStaticAssets(join(build, 'assets'), {
      prefix: '/dashboard/assets/',
      immutable: true,
      maxAge: '365d',
      index: false,
      fallthrough: false,
    });
  }
}
