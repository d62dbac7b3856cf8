import {
  ArgumentsHost,
  BadRequestException,
  ServiceUnavailableException,
  Catch,
  HttpException,
  HttpStatus,
  Inject,
  Injectable,
} from '@nestjs/common';
import { BaseExceptionFilter, HttpAdapterHost } from '@nestjs/core';
import { Logger } from 'pino';
import { APP_LOGGER } from '@odoo-stream/runtime';

/**
 * Every odoo-stream endpoint under /api answers errors in the add-on's shape (its clients, and the
 * dashboard, read it); the OpenAPI pages keep Nest's.
 */
const ADDON_PATHS = /^\/api\/(?!docs(\/|\?|$))/;

/**
 * Errors under /api (but the OpenAPI pages) in the shape clients of the add-on expect:
 * `{error: true, message, timestamp}` with the HTTP status, including bodies that are not JSON
 * (refused before any controller runs, with the parser's message and position). An unexpected failure is a 500 with a generic message
 * (details in the log), never a 200 with `success: true`. Other paths keep Nest's shape.
 */
@Catch()
@Injectable()
export class ApiErrorFilter extends BaseExceptionFilter {
  constructor(
    @Inject(APP_LOGGER) private readonly logger: Logger,
    adapterHost: HttpAdapterHost,
  ) {
    super(adapterHost.httpAdapter);
  }

  override catch(caught: unknown, host: ArgumentsHost): void {
    const exception = asClientError(caught);
    const http = host.switchToHttp();
    const request = http.getRequest<{ method: string; url: string }>();
    if (!ADDON_PATHS.test(request.url)) return super.catch(exception, host);
    let status: number = HttpStatus.INTERNAL_SERVER_ERROR;
    let message = 'internal error; the api log has the details';
    if (exception instanceof HttpException) {
      status = exception.getStatus();
      message = describe(exception.getResponse());
      if (isBodyParserError(exception.cause))
        message = `request body is not valid JSON: ${message}`;
    } else {
      this.logger.error(
        { err: exception, method: request.method, url: request.url },
        'request failed',
      );
    }
    http
      .getResponse<ExpressResponse>()
      .status(status)
      .json({ error: true, message, timestamp: new Date().toISOString() });
  }
}

/**
 * PostgreSQL refusing a value for its data (SQLSTATE class 22: out of range, bad encoding, NUL)
 * means the request carried it: a 400 with the reason, not a 500. Parameters are validated
 * before they reach SQL; this is the net under that.
 */
export function asClientError(exception: unknown): unknown {
  const code = (exception as { driverError?: { code?: unknown }; code?: unknown })?.driverError
    ?.code;
  if (typeof code === 'string' && code.startsWith('22')) {
    return new BadRequestException(`invalid value: ${(exception as Error).message.split('\n')[0]}`);
  }
  // Kafka away (a broker restarting): the client may try again, it is not the api's fault.
  if (/^KafkaJS/.test(String((exception as Error | undefined)?.name ?? ''))) {
    return new ServiceUnavailableException(
      'Kafka is not reachable right now; nothing was written, try again shortly',
    );
  }
  return exception;
}

function describe(body: string | object): string {
  if (typeof body === 'string') return body;
  const message = (body as { message?: unknown }).message;
  return Array.isArray(message) ? message.join('; ') : String(message ?? 'error');
}

function isBodyParserError(e: unknown): boolean {
  return (
    typeof e === 'object' && e !== null && (e as { type?: unknown }).type === 'entity.parse.failed'
  );
}

interface ExpressResponse {
  status(code: number): ExpressResponse;
  json(body: unknown): void;
}
