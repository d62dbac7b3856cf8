import { createProxyMiddleware, fixRequestBody } from 'http-proxy-middleware';
import { IncomingMessage, ServerResponse } from 'node:http';
import { Logger } from 'pino';
import { SERVED_MODEL_NAMES } from './addon-models';
import { SESSION_COOKIE } from '../dashboard/session-rules';
import { callKwCall, errorEnvelope, jsonRpcCall, OdooRpcError } from './rpc-envelope';

/** Paths odoo-stream answers itself: its api, dashboard, health, metrics and schema registry. */
const OWN_PATHS = /^\/(api|dashboard|health|metrics|subjects|schemas|config)(\/|$)/;
const RPC_PATHS = /^\/(jsonrpc|web\/dataset\/call_kw)(\/|$)/;

/** Whether a JSON-RPC request is one odoo-stream answers (a call on the add-on's models). */
export function answeredLocally(path: string, body: unknown): boolean {
  try {
    const envelope = (body ?? {}) as Record<string, unknown>;
    const call = path.startsWith('/jsonrpc') ? jsonRpcCall(envelope) : callKwCall(envelope);
    return call !== null && SERVED_MODEL_NAMES.includes(call.model);
  } catch {
    return true; // malformed: the controller says what is wrong
  }
}

/**
 * Forwards every request odoo-stream does not answer to the real Odoo, unchanged (cookies,
 * headers, body; the JSON body as parsed), so that a client's one Odoo URL can point here.
 */
type Request = IncomingMessage & { path: string; body?: { id?: unknown } };
type NextFunction = (error?: unknown) => void;

export function odooForwarding(odooUrl: string, logger: Logger) {
  const proxy = createProxyMiddleware<Request, ServerResponse>({
    target: odooUrl,
    changeOrigin: true,
    xfwd: true,
    on: {
      proxyReq: (proxyReq, req) => {
        // The dashboard's session is odoo-stream's: Odoo never sees it.
        const cookie = proxyReq.getHeader('cookie');
        if (typeof cookie === 'string' && cookie.includes(`${SESSION_COOKIE}=`)) {
          const kept = withoutCookie(cookie, SESSION_COOKIE);
          if (kept) proxyReq.setHeader('cookie', kept);
          else proxyReq.removeHeader('cookie');
        }
        fixRequestBody(proxyReq, req);
      },
      error: (error, req, res) => {
        logger.warn({ err: error, path: req.url }, `forwarding to Odoo failed: ${error.message}`);
        if (!(res instanceof ServerResponse) || res.headersSent) return;
        const message = `Odoo at ODOO_URL did not answer (${error.message})`;
        const rpc = RPC_PATHS.test(req.url ?? '');
        res.writeHead(rpc ? 200 : 502, { 'Content-Type': rpc ? 'application/json' : 'text/plain' });
        res.end(
          rpc
            ? JSON.stringify(
                errorEnvelope(req.body?.id, new OdooRpcError('ConnectionError', message)),
              )
            : message,
        );
      },
    },
  });
  return (req: Request, res: ServerResponse, next: NextFunction) => {
    if (OWN_PATHS.test(req.path)) return next();
    if (RPC_PATHS.test(req.path) && req.method === 'POST' && answeredLocally(req.path, req.body)) {
      return next();
    }
    return proxy(req, res, next);
  };
}

/** A Cookie header without one cookie. */
export function withoutCookie(header: string, name: string): string {
  return header
    .split(';')
    .map((c) => c.trim())
    .filter((c) => c !== '' && !c.startsWith(`${name}=`))
    .join('; ');
}
