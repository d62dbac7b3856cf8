import { ArgumentsHost, Catch, ExceptionFilter, HttpException } from '@nestjs/common';

/** Errors of the registry endpoints in Confluent's media type and shape ({ error_code, message }). */
@Catch(HttpException)
export class RegistryExceptionFilter implements ExceptionFilter {
  catch(exception: HttpException, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<ExpressResponse>();
    const body = exception.getResponse();
    const status = exception.getStatus();
    response
      .status(status)
      .type('application/vnd.schemaregistry.v1+json')
      .send(
        typeof body === 'object' && body !== null && 'error_code' in body
          ? body
          : { error_code: status * 100, message: describe(body) },
      );
  }
}

function describe(body: string | object): string {
  if (typeof body === 'string') return body;
  const message = (body as { message?: unknown }).message;
  return Array.isArray(message) ? message.join('; ') : String(message ?? 'error');
}

/** The part of Express's response this filter uses. */
interface ExpressResponse {
  status(code: number): ExpressResponse;
  type(mediaType: string): ExpressResponse;
  send(body: unknown): void;
}
