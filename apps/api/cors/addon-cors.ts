import { CorsOptions } from '@nestjs/common/interfaces/external/cors-options.interface';

/** The paths the add-on's clients (BridgeCore, its Flutter SDK, browsers) call. */
const ADDON_PATHS = /^\/api\/(webhooks|v2)(\/|\?|$)/;

/**
 * CORS as the add-on answers it, on its paths only: `Access-Control-Allow-Origin` for the
 * configured origins (`*` by default), GET, POST and OPTIONS, `Content-Type`, `X-API-Key` and
 * `Authorization`, preflights answered 200 and cached a day. Other paths send no CORS headers.
 */
export function addonCors(origins: string[]) {
  return (
    request: { url?: string },
    callback: (error: Error | null, options: CorsOptions) => void,
  ): void => {
    if (origins.length === 0 || !ADDON_PATHS.test(request.url ?? '')) {
      callback(null, { origin: false });
      return;
    }
    callback(null, {
      origin: origins.includes('*') ? '*' : origins,
      methods: ['GET', 'POST', 'OPTIONS'],
      allowedHeaders: ['Content-Type', 'X-API-Key', 'Authorization'],
      maxAge: 86_400,
      optionsSuccessStatus: 200,
    });
  };
}
