import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { serviceVersion } from '@odoo-stream/config';
import { APP_LOGGER, AppDefinition } from '@odoo-stream/runtime';
import { Logger } from 'pino';
import { odooForwarding } from './odoo-rpc/odoo-forwarding';
import { ApiModule } from './api.module';
import { RejectNulBytesPipe } from './validation/reject-nul-bytes.pipe';
import { addonCors } from './cors/addon-cors';
import { serveDashboard } from './dashboard/dashboard-assets';

/** The HTTP face of odoo-stream: health, metrics, and (later) feed, sync, subscribers, replay. */
export const apiApp: AppDefinition = {
  name: 'api',
  http: true,
  module: (config, logger) => ApiModule.forRoot(config, logger),
  configureHttp(app, config) {
    app.enableCors(addonCors(config.apiCorsOrigins));
    // Confluent's clients send their own JSON media type.
    app.useBodyParser('json', {
      type: [
        'application/json',
        'application/vnd.schemaregistry.v1+json',
        'application/vnd.schemaregistry+json',
      ],
    });
    serveDashboard(app, { atRoot: !config.odooUrl });
    // Everything that is not odoo-stream's goes to the real Odoo (after the JSON body is read, so
    // that calls on the add-on's models can be told apart).
    if (config.odooUrl)
      app.use(odooForwarding(config.odooUrl, app.get<Logger>(APP_LOGGER, { strict: false })));
    // DTO validation is per controller: strict on odoo-stream's own endpoints, lenient (unknown
    // keys dropped) on the add-on's paths, as the add-on's own controller is.
    app.useGlobalPipes(new RejectNulBytesPipe());
    const document = SwaggerModule.createDocument(
      app,
      new DocumentBuilder()
        .setTitle('odoo-stream')
        .setDescription(
          'Odoo changes as Kafka events: health, metrics, pull feed, device sync, webhooks, replay.',
        )
        .setVersion(serviceVersion())
        .addApiKey({ type: 'apiKey', in: 'header', name: 'X-API-Key' }, 'api-key')
        .addCookieAuth(
          'odoo_stream_session',
          {
            type: 'apiKey',
            in: 'cookie',
            description:
              'The dashboard: POST /api/session; requests that change something also send X-Odoo-Stream-Dashboard: 1',
          },
          'session',
        )
        .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'device token (JWT)' })
        .build(),
    );
    SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs/openapi.json' });
  },
};
