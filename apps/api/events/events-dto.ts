import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsISO8601, IsOptional, Matches, Max, Min } from 'class-validator';
import { MODEL_NAME } from '../feed/feed-dto';
import { PageQueryDto } from '../paging/page-query.dto';
import { MAX_RECORD_ID } from '../validation/record-id.pipe';

export const EVENT_OPS = ['create', 'write', 'unlink', 'read'] as const;

export class EventsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ example: 'sale.order' })
  @IsOptional()
  @Matches(MODEL_NAME, { message: 'model must be an Odoo model name, e.g. sale.order' })
  model?: string;

  @ApiPropertyOptional({ enum: EVENT_OPS })
  @IsOptional()
  @IsIn(EVENT_OPS, { message: `op must be one of ${EVENT_OPS.join(', ')}` })
  op?: string;

  @ApiPropertyOptional({ description: 'Events of this record only (with model)' })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'record_id must be an integer' })
  @Min(1, { message: 'record_id must be 1 or more' })
  @Max(MAX_RECORD_ID)
  record_id?: number;

  @ApiPropertyOptional({ description: 'Committed at or after this time (ISO 8601)' })
  @IsOptional()
  @IsISO8601({}, { message: 'since must be an ISO 8601 time, e.g. 2026-12-02T09:40:00Z' })
  since?: string;

  @ApiPropertyOptional({ description: 'Committed before this time (ISO 8601)' })
  @IsOptional()
  @IsISO8601({}, { message: 'until must be an ISO 8601 time, e.g. 2026-12-02T10:00:00Z' })
  until?: string;
}

export class EventSummaryView {
  @ApiProperty() event_id: string;
  @ApiProperty({ example: 'sale.order' }) model: string;
  @ApiProperty() record_id: number;
  @ApiProperty({ enum: EVENT_OPS }) op: string;
  @ApiProperty({ format: 'date-time', description: 'Commit time' }) timestamp: string;
  @ApiProperty({ nullable: true, type: Number, description: 'write_uid' }) uid: number | null;
  @ApiProperty({ type: [String] }) changed_fields: string[];
  @ApiProperty() kafka_topic: string;
  @ApiProperty() kafka_partition: number;
  @ApiProperty({ type: String }) kafka_offset: string;
}

export class EventDetailView extends EventSummaryView {
  @ApiProperty({ nullable: true, type: Object, description: 'The record before (null: create)' })
  before: Record<string, unknown> | null;
  @ApiProperty({ nullable: true, type: Object, description: 'The record after (null: unlink)' })
  after: Record<string, unknown> | null;
  @ApiProperty({ example: '16/B374D848' }) lsn: string;
  @ApiProperty({ nullable: true, type: Number }) tx_id: number | null;
  @ApiProperty({ format: 'date-time' }) captured_at: string;
}

export class TimelineDeliveryView {
  @ApiProperty() delivery_id: string;
  @ApiProperty() subscriber_id: number;
  @ApiProperty({ nullable: true, type: String }) subscriber_name: string | null;
  @ApiProperty() status: string;
  @ApiProperty() attempts: number;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) first_attempt_at:
    string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) delivered_at: string | null;
}

export class TimelineFeedView {
  @ApiProperty({ description: 'The feed id (update.webhook id)' }) id: number;
  @ApiProperty() is_processed: boolean;
}

export class TimelineEntryView extends EventSummaryView {
  @ApiProperty({ type: [TimelineDeliveryView] }) deliveries: TimelineDeliveryView[];
  @ApiProperty({ nullable: true, type: TimelineFeedView, description: 'null: not in the feed' })
  feed: TimelineFeedView | null;
}

export class RecordTimelineView {
  @ApiProperty() model: string;
  @ApiProperty() record_id: number;
  @ApiProperty({ type: [TimelineEntryView], description: 'Oldest first (the last 500 events)' })
  events: TimelineEntryView[];
}
