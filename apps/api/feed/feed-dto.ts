import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Max,
  Min,
} from 'class-validator';
import { FEED_PRIORITIES, FeedPriority } from '@odoo-stream/config';

export const MODEL_NAME = /^[a-z_][a-z0-9_]*(\.[a-z0-9_]+)*$/;

/** `models` as the add-on took it: a comma list, a JSON list, or (POST) a list. */
export function modelList({ value }: { value: unknown }): unknown {
  if (typeof value !== 'string') return value;
  const text = value.trim();
  if (text.startsWith('[')) {
    try {
      return JSON.parse(text);
    } catch {
      return value;
    }
  }
  return text
    .split(',')
    .map((m) => m.trim())
    .filter(Boolean);
}

export class PullFeedDto {
  @ApiPropertyOptional({ description: 'Return rows with a larger id', default: 0, minimum: 0 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(Number.MAX_SAFE_INTEGER)
  last_event_id: number = 0;

  @ApiPropertyOptional({
    default: 100,
    minimum: 1,
    description: 'Above 1000 is taken as 1000, as the add-on does',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Transform(({ value }) => (typeof value === 'number' && value > 1000 ? 1000 : value))
  limit: number = 100;

  @ApiPropertyOptional({
    description:
      'Only these models: comma list (sale.order,res.partner) or JSON list; a model odoo-stream does not track matches nothing',
    type: [String],
  })
  @IsOptional()
  @Transform(modelList)
  @IsArray()
  @IsString({ each: true })
  models?: string[];

  @ApiPropertyOptional({ enum: FEED_PRIORITIES })
  @IsOptional()
  @IsIn(FEED_PRIORITIES)
  priority?: FeedPriority;
}

export class MarkProcessedDto {
  @ApiProperty({ description: 'Feed ids (the `id` of pulled events)', type: [Number] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(10_000)
  @IsInt({ each: true })
  @Min(1, { each: true })
  @Max(Number.MAX_SAFE_INTEGER, { each: true })
  event_ids: number[];
}

export class StatsQueryDto {
  @ApiPropertyOptional({ default: 7, minimum: 1, maximum: 3650 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(3650)
  days: number = 7;
}

export class FeedEventView {
  @ApiProperty() id: number;
  @ApiProperty({ example: 'sale.order' }) model: string;
  @ApiProperty() record_id: number;
  @ApiProperty({ enum: ['create', 'write', 'unlink'] }) event: string;
  @ApiProperty({ description: 'Commit time in Odoo, ISO 8601' }) timestamp: string;
  @ApiProperty({ description: "The record's values after the change (before it for unlink)" })
  payload: Record<string, unknown>;
  @ApiProperty({ enum: FEED_PRIORITIES }) priority: string;
  @ApiProperty({ example: 'sales' }) category: string;
  @ApiProperty({ nullable: true, type: Number }) user_id: number | null;
  @ApiProperty({ nullable: true, type: String }) user_name: string | null;
}

export class PullFeedResponse {
  @ApiProperty() success: boolean;
  @ApiProperty({ type: [FeedEventView] }) events: FeedEventView[];
  @ApiProperty({ description: 'Pass as last_event_id to get the next page' }) last_id: number;
  @ApiProperty({ description: 'More rows match the same filters' }) has_more: boolean;
  @ApiProperty() count: number;
  @ApiProperty() timestamp: string;
}

export class MarkProcessedResponse {
  @ApiProperty() success: boolean;
  @ApiProperty({ description: 'How many ids the request named, as the add-on counts' })
  processed_count: number;
  @ApiProperty({ example: '3 event(s) marked as processed' }) message: string;
  @ApiProperty() timestamp: string;
}

export class ApiErrorView {
  @ApiProperty({ example: true }) error: boolean;
  @ApiProperty() message: string;
  @ApiProperty() timestamp: string;
}

export class ModelCountView {
  @ApiProperty({ example: 'sale.order' }) model: string;
  @ApiProperty() count: number;
}

export class FeedStatsView {
  @ApiProperty() period_days: number;
  @ApiProperty() total: number;
  @ApiProperty() processed: number;
  @ApiProperty() pending: number;
  @ApiProperty() archived: number;
  @ApiProperty({ type: [ModelCountView], description: 'The ten busiest models' })
  by_model: ModelCountView[];
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'integer' },
    example: { high: 3, medium: 12 },
  })
  by_priority: Record<string, number>;
}

export class FeedStatsResponse {
  @ApiProperty() success: boolean;
  @ApiProperty({ type: FeedStatsView }) stats: FeedStatsView;
  @ApiProperty({ format: 'date-time' }) timestamp: string;
}

export class FeedHealthResponse {
  @ApiProperty({ example: 'healthy' }) status: string;
  @ApiProperty() version: string;
  @ApiProperty({ example: 'odoo-stream' }) module: string;
  @ApiProperty({ description: 'Rows not processed and not archived' }) pending_events: number;
  @ApiProperty({ format: 'date-time' }) timestamp: string;
}
