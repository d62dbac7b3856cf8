import { DynamicModule, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { Logger } from 'pino';

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
          },
        }),
      ],
    };
  }
}
