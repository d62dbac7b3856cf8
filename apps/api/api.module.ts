import { DynamicModule, Module } from '@nestjs/common';
import { AddonModelMethods } from './odoo-rpc/addon-model-methods';
import { AddonModelReader } from './odoo-rpc/addon-model-reader';
import { OdooRpcController } from './odoo-rpc/odoo-rpc.controller';
import { OdooSessions } from './odoo-rpc/odoo-sessions';
import { CheckpointUpdate } from './sync/checkpoint-update';
import { FeedProcessing } from './feed/feed-processing';
import { APP_FILTER } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import { ThrottlerModule } from '@nestjs/throttler';
import { randomBytes } from 'node:crypto';
import { Logger } from 'pino';
import { AppConfig } from '@odoo-stream/config';
import { DatabaseModule } from '@odoo-stream/db';
import { HttpLoggingModule } from '@odoo-stream/observability';
import { AppCoreModule } from '@odoo-stream/runtime';
import { SchemaRegistryModule } from '@odoo-stream/schema-registry';
import { StreamPublisher } from './acknowledgements/stream-publisher';
import { Acknowledger } from './acknowledgements/acknowledger';
import { ProjectionProgress } from './acknowledgements/projection-progress';
import { AdminKeyGuard, ApiKeyGuard } from './auth/api-key.guard';
import { DeviceTokenGuard } from './auth/device-token.guard';
import { DeviceTokens, TOKEN_SECRET } from './auth/device-tokens';
import { RateLimitGuard } from './auth/rate-limit.guard';
import { ApiErrorFilter } from './errors/api-error.filter';
import { FeedReader } from './feed/feed-reader';
import { WebhookFeedController } from './feed/webhook-feed.controller';
import { HealthController } from './health/health.controller';
import { KafkaHealthIndicator } from './health/kafka.health';
import { ComponentsHealthIndicator } from './health/components.health';
import { ConsumerLagMetrics } from './metrics/consumer-lag';
import { MetricsController } from './metrics/metrics.controller';
import { SchemaRegistryController } from './schema-registry/schema-registry.controller';
import { SubscriberStore } from './subscribers/subscriber-store';
import { DeliveriesController } from './deliveries/deliveries.controller';
import { DeliveryReader } from './deliveries/delivery-reader';
import { SubscribersController } from './subscribers/subscribers.controller';
import { DeviceRegistration } from './sync/device-registration';
import { SmartSyncController } from './sync/smart-sync.controller';
import { SyncStateReader } from './sync/sync-state-reader';
import { SyncStateController } from './sync/sync-state.controller';

import { OperationsController } from './operations/operations.controller';
import { TelegramAdminController } from './telegram/telegram-admin.controller';
import { TelegramActions } from './telegram/telegram-actions';
import { TelegramBotStore } from './telegram/telegram-bot-store';
import { TelegramConversationsController } from './telegram/telegram-conversations.controller';
import { TelegramOperatorGuard } from './telegram/telegram-operator.guard';
import { TelegramReader } from './telegram/telegram-reader';
import { TelegramRulesController } from './telegram/telegram-rules.controller';
import { TelegramWebhookController } from './telegram/telegram-webhook.controller';
import { ApiIncidentOperations } from './operations/api-incident-operations';
import { DashboardSessions } from './dashboard/dashboard-sessions';
import { SessionController } from './dashboard/session.controller';
import { EventReader } from './events/event-reader';
import { EventsController } from './events/events.controller';
import { CaptureLagReader } from './overview/capture-lag';
import { OdooDatabase } from './odoo-database/odoo-database';
import { DeadLetterCount } from './overview/dead-letter-count';
import { OverviewReader } from './overview/overview-reader';
import { OverviewController } from './overview/overview.controller';
import { DevicesController } from './sync/devices.controller';

@Module({})
export class ApiModule {
  static forRoot(config: AppConfig, logger: Logger): DynamicModule {
    if (config.auth.apiKeys.length === 0) {
      logger.warn('no API_KEYS configured: the feed and sync endpoints answer 401 to everyone');
    }
    if (!config.auth.tokenSecret) {
      logger.warn(
        'API_TOKEN_SECRET is not set: device tokens are signed with a per-process secret and stop working when the api restarts',
      );
    }
    return {
      module: ApiModule,
      imports: [
        AppCoreModule.forApp(config, logger),
        HttpLoggingModule.forApp(logger),
        DatabaseModule.forUrl(config.databaseUrl as string),
        TerminusModule.forRoot({ logger: false }),
        SchemaRegistryModule.forApp(config, { boot: 'on-demand' }),
        ThrottlerModule.forRoot({
          throttlers: [{ ttl: 60_000, limit: config.auth.rateLimitPerMinute }],
        }),
      ],
      controllers: [
        HealthController,
        MetricsController,
        WebhookFeedController,
        SyncStateController,
        SmartSyncController,
        SubscribersController,
        DeliveriesController,
        OdooRpcController,
        OperationsController,
        TelegramAdminController,
        TelegramConversationsController,
        TelegramRulesController,
        TelegramWebhookController,
        SessionController,
        EventsController,
        OverviewController,
        DevicesController,
        // With an external registry configured, that registry serves schemas, not the api.
        ...(config.schemaRegistryUrl ? [] : [SchemaRegistryController]),
      ],
      providers: [
        KafkaHealthIndicator,
        ComponentsHealthIndicator,
        ConsumerLagMetrics,
        { provide: APP_FILTER, useClass: ApiErrorFilter },
        ApiKeyGuard,
        AdminKeyGuard,
        SubscriberStore,
        DeliveryReader,
        DeviceTokenGuard,
        RateLimitGuard,
        {
          provide: TOKEN_SECRET,
          useValue: config.auth.tokenSecret ?? randomBytes(32).toString('hex'),
        },
        DeviceTokens,
        FeedReader,
        AddonModelReader,
        AddonModelMethods,
        CheckpointUpdate,
        FeedProcessing,
        OdooSessions,
        SyncStateReader,
        DeviceRegistration,
        StreamPublisher,
        ProjectionProgress,
        Acknowledger,
        ApiIncidentOperations,
        TelegramActions,
        TelegramBotStore,
        TelegramReader,
        TelegramOperatorGuard,
        DashboardSessions,
        EventReader,
        CaptureLagReader,
        OdooDatabase,
        DeadLetterCount,
        OverviewReader,
      ],
    };
  }
}
