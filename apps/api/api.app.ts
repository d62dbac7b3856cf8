import { ValidationPipe } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { serviceVersion } from '@odoo-stream/config';
import { AppDefinition } from '@odoo-stream/runtime';
import { ApiModule } from './api.module';
import { RejectNulBytesPipe } from './validation/reject-nul-bytes.pipe';

/** The HTTP face of odoo-stream: health, metrics, and (later) feed, sync, subscribers, replay. */
export const apiApp: AppDefinition = {
  name: 'api',
  http: true,
  module: (config, logger) => ApiModule.forRoot(config, logger),
  configureHttp(app) {
    // Confluent's clients send their own JSON media type.
    app.useBodyParser('json', {
      type: [
        'application/json',
        'application/vnd.schemaregistry.v1+json',
        'application/vnd.schemaregistry+json',
      ],
    });
    app.useGlobalPipes(
      new RejectNulBytesPipe(),
      new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true }),
    );
    const document = SwaggerModule.createDocument(
      app,
      new DocumentBuilder()
        .setTitle('odoo-stream')
        .setDescription(
          'Odoo changes as Kafka events: health, metrics, pull feed, device sync, webhooks, replay.',
        )
        .setVersion(serviceVersion())
        .addApiKey({ type: 'apiKey', in: 'header', name: 'X-API-Key' }, 'api-key')
        .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'device token (JWT)' })
        .build(),
    );
    SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs/openapi.json' });
  },
};
