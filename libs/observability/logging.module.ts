import { DynamicModule, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import pino, { Logger } from 'pino';
import { maskQuerySecrets, maskUrlSecrets } from './redaction';

/** HTTP request logs (nestjs-pino over pino-http) written through the api's own pino logger. */
@Module({})
export class HttpLoggingModule {
  static forApp(logger: Logger): DynamicModule {
    return {
      module: HttpLoggingModule,
      imports: [
        LoggerModule.forRoot({
          pinoHttp: {
            logger,
            // Health probes and scrapes would drown the log.
            autoLogging: { ignore: (req) => /^\/(health|metrics)/.test(req.url ?? '') },
            // Headers are redacted by the logger; a key passed in the query string is masked here.
            serializers: {
              req: pino.stdSerializers.wrapRequestSerializer((req) => {
                req.url = maskUrlSecrets(req.url);
                const query = req.query as Record<string, string> | undefined;
                if (query) req.query = maskQuerySecrets(query) as typeof req.query;
                return req;
              }),
            },
          },
        }),
      ],
    };
  }
}
