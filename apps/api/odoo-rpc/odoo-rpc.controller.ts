import { Body, Controller, HttpCode, Inject, Post, Req } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Logger } from 'pino';
import { APP_CONFIG, AppConfig } from '@odoo-stream/config';
import { APP_LOGGER } from '@odoo-stream/runtime';
import { matchApiKey } from '../auth/api-keys';
import { AddonModelMethods } from './addon-model-methods';
import { OdooSessions } from './odoo-sessions';
import {
  callKwCall,
  errorEnvelope,
  jsonRpcCall,
  ModelCall,
  OdooRpcError,
  resultEnvelope,
} from './rpc-envelope';

type Envelope = { jsonrpc?: string; id?: unknown; method?: string; params?: unknown };
type RpcRequest = { headers: Record<string, string | string[] | undefined> };

/**
 * The add-on's models (`update.webhook`, `user.sync.state`) over Odoo's own JSON-RPC, so that
 * clients calling them on Odoo (BridgeCore's odoo_client) can call odoo-stream instead. Answers
 * always have Odoo's envelope and HTTP 200, errors included, as Odoo answers.
 */
@ApiExcludeController()
@Controller()
export class OdooRpcController {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(APP_LOGGER) private readonly logger: Logger,
    private readonly methods: AddonModelMethods,
    private readonly sessions: OdooSessions,
  ) {}

  @Post('jsonrpc')
  @HttpCode(200)
  jsonRpc(@Body() body: Envelope, @Req() request: RpcRequest) {
    return this.answer(body, request, () => {
      const call = jsonRpcCall(body ?? {});
      if (!call) {
        throw new OdooRpcError(
          'odoo.exceptions.UserError',
          `odoo-stream serves the object service's execute_kw on ${this.served()} only; call Odoo itself for the ${String((body?.params as { service?: unknown })?.service)} service`,
        );
      }
      return call;
    });
  }

  @Post(['web/dataset/call_kw', 'web/dataset/call_kw/*path'])
  @HttpCode(200)
  callKw(@Body() body: Envelope, @Req() request: RpcRequest) {
    return this.answer(body, request, () => callKwCall(body ?? {}));
  }

  private async answer(body: Envelope, request: RpcRequest, parse: () => ModelCall) {
    try {
      const call = parse();
      await this.authenticate(call, request);
      if (!this.methods.serves(call.model)) {
        throw new OdooRpcError(
          'odoo.exceptions.UserError',
          `odoo-stream serves ${this.served()} only; call Odoo itself for ${call.model}`,
        );
      }
      return resultEnvelope(body?.id, await this.methods.call(call));
    } catch (error) {
      if (error instanceof OdooRpcError) return errorEnvelope(body?.id, error);
      this.logger.error({ err: error }, `JSON-RPC call failed: ${(error as Error).message}`);
      return errorEnvelope(
        body?.id,
        new OdooRpcError('Exception', 'internal error; see the api log'),
      );
    }
  }

  /**
   * The add-on's API key (in `X-API-Key`, or as execute_kw's password, Odoo's API-key login), or
   * a session cookie the real Odoo confirms (with ODOO_URL).
   */
  private async authenticate(call: ModelCall, request: RpcRequest): Promise<void> {
    const header = request.headers['x-api-key'];
    const key = (Array.isArray(header) ? header[0] : header) ?? call.password;
    if (key && matchApiKey(key, this.config.auth.apiKeys)) return;
    const cookie = request.headers.cookie;
    if (!key && (await this.sessions.userOf(Array.isArray(cookie) ? cookie[0] : cookie))) return;
    throw new OdooRpcError(
      'odoo.http.SessionExpiredException',
      this.config.odooUrl
        ? 'odoo-stream needs an API key (X-API-Key, or the execute_kw password) or an Odoo session for the add-on models'
        : 'odoo-stream needs an API key for the add-on models: send X-API-Key, or the key as the execute_kw password',
      100,
    );
  }

  private served(): string {
    return this.methods.served.join(', ');
  }
}
