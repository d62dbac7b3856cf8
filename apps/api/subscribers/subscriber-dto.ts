import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { FEED_PRIORITIES } from '@odoo-stream/config';
import { WEBHOOK_EVENTS } from '@odoo-stream/webhooks';
import { MODEL_NAME } from '../feed/feed-dto';

export const AUTH_TYPES = ['none', 'bearer', 'basic', 'api_key'] as const;
export const PRESETS = ['g-assistant'] as const;
const HEADER_NAME = /^[A-Za-z0-9-]{1,128}$/;

export class SubscriberDto {
  @ApiProperty({ example: 'G-Assistant' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(128)
  name: string;

  @ApiProperty({ example: 'https://crm.example.com/odoo/webhooks' })
  @IsString()
  @MaxLength(2000)
  endpoint_url: string;

  @ApiPropertyOptional({ default: true })
  @IsOptional()
  @IsBoolean()
  enabled?: boolean;

  @ApiPropertyOptional({ enum: AUTH_TYPES, default: 'none' })
  @IsOptional()
  @IsIn(AUTH_TYPES)
  auth_type?: (typeof AUTH_TYPES)[number];

  @ApiPropertyOptional({ description: 'basic: the user name' })
  @IsOptional()
  @IsString()
  @MaxLength(256)
  username?: string;

  @ApiPropertyOptional({ description: 'basic: the password (never returned)' })
  @IsOptional()
  @IsString()
  @MaxLength(1024)
  password?: string;

  @ApiPropertyOptional({ description: 'bearer: the token (never returned)' })
  @IsOptional()
  @IsString()
  @MaxLength(4096)
  token?: string;

  @ApiPropertyOptional({ description: 'api_key: the key (never returned)' })
  @IsOptional()
  @IsString()
  @MaxLength(1024)
  api_key?: string;

  @ApiPropertyOptional({ default: 'X-API-Key' })
  @IsOptional()
  @Matches(HEADER_NAME, { message: 'api_key_header must be a header name' })
  api_key_header?: string;

  @ApiPropertyOptional({ description: 'Extra headers sent with every request' })
  @IsOptional()
  @IsObject()
  custom_headers?: Record<string, string>;

  @ApiPropertyOptional({ description: 'whsec_...; generated when not given; shown once' })
  @IsOptional()
  @Matches(/^whsec_[A-Za-z0-9+/]{16,}={0,2}$/, {
    message: 'secret must be whsec_ followed by base64',
  })
  secret?: string;

  @ApiPropertyOptional({
    description: 'Also send <header>: sha256=<hex HMAC of the body>',
    example: 'X-Signature-256',
  })
  @IsOptional()
  @Matches(HEADER_NAME, { message: 'signature_header must be a header name' })
  signature_header?: string;

  @ApiPropertyOptional({ enum: PRESETS })
  @IsOptional()
  @IsIn(PRESETS)
  preset?: (typeof PRESETS)[number];

  @ApiPropertyOptional({ default: 15000, minimum: 100, maximum: 120000 })
  @IsOptional()
  @IsInt()
  @Min(100)
  @Max(120_000)
  timeout_ms?: number;

  @ApiPropertyOptional({ description: 'Requests per minute, 0 = no limit', default: 0 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  rate_limit?: number;

  @ApiPropertyOptional({
    description:
      "'default' (60,120,240,480,960 s), 'standard-webhooks', or seconds before each retry",
    example: 'default',
  })
  @IsOptional()
  retry_schedule?: 'default' | 'standard-webhooks' | number[];

  @ApiPropertyOptional({
    default: true,
    description: 'Later events of a record wait behind a failed one',
  })
  @IsOptional()
  @IsBoolean()
  ordered?: boolean;

  @ApiPropertyOptional({
    description: 'Events per batch request; 0 (default): one request per event',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(1000)
  batch_size?: number;

  @ApiPropertyOptional({
    description: 'A batch leaves after this long even when not full',
    default: 5000,
  })
  @IsOptional()
  @IsInt()
  @Min(10)
  @Max(3_600_000)
  batch_timeout_ms?: number;

  @ApiPropertyOptional({ default: 4, minimum: 1, maximum: 64 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(64)
  max_concurrency?: number;
}

export class UpdateSubscriberDto extends PartialType(SubscriberDto) {
  @ApiPropertyOptional({
    description:
      'Make a new secret. The previous one keeps signing (a second webhook-signature, and the whole of signature_header) until finish_rotation or WEBHOOK_ROTATION_OVERLAP_MS (24 h) has passed',
  })
  @IsOptional()
  @IsBoolean()
  rotate_secret?: boolean;

  @ApiPropertyOptional({
    description: 'The receiver verifies with the new secret: stop signing with the previous one',
  })
  @IsOptional()
  @IsBoolean()
  finish_rotation?: boolean;
}

/**
 * Which changes a rule selects, as webhook subscriptions and Telegram notification rules both
 * say it: model, events, tracked fields, Odoo domain.
 */
export class ChangeRuleDto {
  @ApiProperty({ example: 'sale.order' })
  @Matches(MODEL_NAME, { message: 'model must be an Odoo model name' })
  model: string;

  @ApiProperty({ enum: WEBHOOK_EVENTS, isArray: true })
  @IsArray()
  @ArrayMinSize(1)
  @IsIn(WEBHOOK_EVENTS, { each: true })
  events: Array<'create' | 'write' | 'unlink'>;

  @ApiPropertyOptional({ description: 'Fire on write only when one of these changed' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(500)
  @Matches(/^[a-z_][a-z0-9_]*$/, { each: true, message: 'tracked_fields must be field names' })
  tracked_fields?: string[];

  @ApiPropertyOptional({ example: "[('state','=','sale'),('amount_total','>',1000)]" })
  @IsOptional()
  @IsString()
  @MaxLength(10_000)
  filter_domain?: string;
}

export class SubscriptionDto extends ChangeRuleDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsArray()
  @Matches(/^[a-z_][a-z0-9_]*$/, { each: true, message: 'included_fields must be field names' })
  included_fields?: string[];

  @ApiPropertyOptional()
  @IsOptional()
  @IsArray()
  @Matches(/^[a-z_][a-z0-9_]*$/, { each: true, message: 'excluded_fields must be field names' })
  excluded_fields?: string[];

  @ApiPropertyOptional({
    description: 'Jinja2-compatible (nunjucks) template whose output is JSON',
  })
  @IsOptional()
  @IsString()
  @MaxLength(100_000)
  template?: string;

  @ApiPropertyOptional({ enum: FEED_PRIORITIES })
  @IsOptional()
  @IsIn(FEED_PRIORITIES)
  priority?: string;
}
