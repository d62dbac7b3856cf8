import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** OpenAPI shapes of the subscriber endpoints' answers (what subscriberView returns). */
export class SubscriptionView {
  @ApiProperty() id: number;
  @ApiProperty() subscriber_id: number;
  @ApiProperty({ example: 'sale.order' }) model: string;
  @ApiProperty({ type: [String], example: ['create', 'write'] }) events: string[];
  @ApiProperty({ type: [String] }) tracked_fields: string[];
  @ApiProperty({ nullable: true, type: String }) filter_domain: string | null;
  @ApiProperty({ nullable: true, type: [String] }) included_fields: string[] | null;
  @ApiProperty({ nullable: true, type: [String] }) excluded_fields: string[] | null;
  @ApiProperty({ nullable: true, type: String }) template: string | null;
  @ApiProperty({ nullable: true, type: String }) priority: string | null;
  @ApiProperty({ format: 'date-time' }) created_at: string;
}

export class SubscriberView {
  @ApiProperty() id: number;
  @ApiProperty() name: string;
  @ApiProperty() endpoint_url: string;
  @ApiProperty() enabled: boolean;
  @ApiProperty({ nullable: true, type: String }) disabled_reason: string | null;
  @ApiProperty({ enum: ['none', 'bearer', 'basic', 'api_key'] }) auth_type: string;
  @ApiPropertyOptional({ description: 'With basic auth' }) username?: string;
  @ApiPropertyOptional({ description: 'With api_key auth' }) api_key_header?: string;
  @ApiProperty({ description: 'Credentials are stored (never shown)' }) has_credentials: boolean;
  @ApiProperty({ type: [String], description: 'Names only' }) custom_headers: string[];
  @ApiProperty({ description: 'Masked, except in the answer that made it' }) secret: string;
  @ApiProperty() rotating: boolean;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' })
  rotation_ends_at: string | null;
  @ApiProperty({ nullable: true, type: String }) signature_header: string | null;
  @ApiProperty({ nullable: true, type: String }) preset: string | null;
  @ApiProperty() timeout_ms: number;
  @ApiProperty() rate_limit: number;
  @ApiProperty({ type: [Number], description: 'Seconds' }) retry_schedule: number[];
  @ApiProperty() ordered: boolean;
  @ApiProperty() max_concurrency: number;
  @ApiProperty() batch_size: number;
  @ApiProperty() batch_timeout_ms: number;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) failing_since: string | null;
  @ApiProperty({ format: 'date-time' }) created_at: string;
  @ApiProperty({ format: 'date-time' }) updated_at: string;
  @ApiProperty({ type: [SubscriptionView] }) subscriptions: SubscriptionView[];
}

export class ConnectionTestView {
  @ApiProperty() success: boolean;
  @ApiProperty({ nullable: true, type: Number }) status: number | null;
  @ApiProperty() latency_ms: number;
  @ApiProperty({ nullable: true, type: String }) reason: string | null;
  @ApiProperty({ nullable: true, type: String }) response: string | null;
}
