/**
 * Odoo's JSON-RPC envelopes: `/jsonrpc` (`service: object`, `method: execute_kw`, args
 * `[db, uid, password, model, method, args, kwargs]`) and `/web/dataset/call_kw`
 * (`{model, method, args, kwargs}` with a session cookie), and Odoo's error shape.
 */

export interface ModelCall {
  model: string;
  method: string;
  args: unknown[];
  kwargs: Record<string, unknown>;
  /** The password of `execute_kw` (an Odoo API key, or odoo-stream's). */
  password?: string;
}

/** An error Odoo would raise, answered in its JSON-RPC error shape. */
export class OdooRpcError extends Error {
  constructor(
    /** Odoo's exception class, e.g. `odoo.exceptions.AccessError`. */
    readonly exception: string,
    message: string,
    /** 100: session expired; 200: any server error. */
    readonly code = 200,
  ) {
    super(message);
  }
}

type Envelope = { jsonrpc?: string; id?: unknown; method?: string; params?: unknown };

/** The model call a `/jsonrpc` request makes; null when it is another service (common, db). */
export function jsonRpcCall(body: Envelope): ModelCall | null {
  const params = (body.params ?? {}) as Record<string, unknown>;
  if (params.service !== 'object' || !['execute_kw', 'execute'].includes(String(params.method))) {
    return null;
  }
  const args = Array.isArray(params.args) ? params.args : [];
  const [, , password, model, method, callArgs, kwargs] = args;
  if (typeof model !== 'string' || typeof method !== 'string') {
    throw new OdooRpcError('TypeError', 'execute_kw takes db, uid, password, model, method, args');
  }
  return {
    model,
    method,
    args: params.method === 'execute' ? args.slice(5) : Array.isArray(callArgs) ? callArgs : [],
    kwargs: params.method === 'execute' ? {} : ((kwargs ?? {}) as Record<string, unknown>),
    password: typeof password === 'string' ? password : undefined,
  };
}

/** The model call of a `/web/dataset/call_kw` request. */
export function callKwCall(body: Envelope): ModelCall {
  const params = (body.params ?? {}) as Record<string, unknown>;
  if (typeof params.model !== 'string' || typeof params.method !== 'string') {
    throw new OdooRpcError('TypeError', 'call_kw takes params {model, method, args, kwargs}');
  }
  return {
    model: params.model,
    method: params.method,
    args: Array.isArray(params.args) ? params.args : [],
    kwargs: (params.kwargs ?? {}) as Record<string, unknown>,
  };
}

export function resultEnvelope(id: unknown, result: unknown) {
  return { jsonrpc: '2.0', id: id ?? null, result };
}

/** Odoo's error answer (HTTP 200, as Odoo sends it). */
export function errorEnvelope(id: unknown, error: OdooRpcError) {
  return {
    jsonrpc: '2.0',
    id: id ?? null,
    error: {
      code: error.code,
      message: error.code === 100 ? 'Odoo Session Expired' : 'Odoo Server Error',
      data: {
        name: error.exception,
        debug: '',
        message: error.message,
        arguments: [error.message],
        context: {},
      },
    },
  };
}
