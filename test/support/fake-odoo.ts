import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';

export interface SeenRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/**
 * A local stand-in for an Odoo 17 server's HTTP side, as Odoo answers: session login by
 * `/web/session/authenticate` (cookie `session_id`), `/web/session/get_session_info`,
 * `/web/dataset/call_kw` and `/jsonrpc` on `res.partner` (HTTP 200, JSON-RPC envelopes, error
 * code 100 for a missing session), and a login page. It records every request it gets.
 */
export class FakeOdoo {
  readonly seen: SeenRequest[] = [];
  private readonly sessions = new Set<string>();
  private server?: Server;

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        const path = (req.url ?? '/').split('?')[0];
        this.seen.push({ method: req.method ?? 'GET', path, headers: req.headers, body });
        const rpc = (value: unknown, headers: Record<string, string> = {}) => {
          res.writeHead(200, { 'Content-Type': 'application/json', ...headers });
          res.end(JSON.stringify({ jsonrpc: '2.0', id: parsed?.id ?? null, ...(value as object) }));
        };
        const parsed = body
          ? (JSON.parse(body) as { id?: unknown; params?: Record<string, unknown> })
          : undefined;
        const session = /session_id=([^;]+)/.exec(req.headers.cookie ?? '')?.[1];
        const loggedIn = session !== undefined && this.sessions.has(session);
        const expired = {
          error: {
            code: 100,
            message: 'Odoo Session Expired',
            data: {
              name: 'odoo.http.SessionExpiredException',
              message: 'Session expired',
              arguments: ['Session expired'],
              context: {},
            },
          },
        };
        if (path === '/web/login') {
          res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
          res.end('<html><body>Odoo login</body></html>');
        } else if (path === '/web/session/authenticate') {
          const p = parsed?.params ?? {};
          if (p.login === 'admin' && p.password === 'admin') {
            const id = randomBytes(20).toString('hex');
            this.sessions.add(id);
            rpc(
              { result: { uid: 2, db: p.db, username: 'admin' } },
              { 'Set-Cookie': `session_id=${id}; Path=/; HttpOnly` },
            );
          } else {
            rpc({
              error: {
                code: 200,
                message: 'Odoo Server Error',
                data: {
                  name: 'odoo.exceptions.AccessDenied',
                  message: 'Access Denied',
                  arguments: [],
                  context: {},
                },
              },
            });
          }
        } else if (path === '/web/session/get_session_info') {
          rpc(loggedIn ? { result: { uid: 2, db: 'odoo' } } : expired);
        } else if (path.startsWith('/web/dataset/call_kw')) {
          rpc(loggedIn ? { result: [{ id: 7, name: 'Azure Interior' }] } : expired);
        } else if (path === '/jsonrpc') {
          const p = parsed?.params ?? {};
          rpc(
            p.service === 'common'
              ? { result: { server_version: '17.0' } }
              : { result: [{ id: 7, name: 'Azure Interior' }] },
          );
        } else {
          res.writeHead(404, { 'Content-Type': 'text/html' });
          res.end('<html>404: Not Found</html>');
        }
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) =>
      this.server ? this.server.close(() => resolve()) : resolve(),
    );
    this.server = undefined;
  }
}
