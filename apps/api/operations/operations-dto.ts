import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsOptional, IsString, Length, Matches, MaxLength } from 'class-validator';

/** `POST /api/replays`: the options of `odoo-stream replay`, one target. */
export class ReplayRequestDto {
  @ApiProperty({ example: 'dispatcher.erp-connector' })
  @IsString()
  @Length(1, 300)
  consumer: string;

  @ApiPropertyOptional() @IsOptional() @IsBoolean() to_earliest?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() to_latest?: boolean;

  @ApiPropertyOptional({ example: '2026-12-01T09:40:00Z' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  to_datetime?: string;

  @ApiPropertyOptional({ example: 'PT30M', description: 'ISO 8601 duration back from now' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  by_duration?: string;

  @ApiPropertyOptional({ example: 'odoo.prod.sale.order:0:1200' })
  @IsOptional()
  @IsString()
  @MaxLength(300)
  to_offset?: string;

  @ApiPropertyOptional({ example: '-100' })
  @IsOptional()
  @Matches(/^[+-]?\d{1,18}$/, { message: 'shift_by must be a whole number, e.g. -100' })
  shift_by?: string;

  @ApiPropertyOptional({ description: 'Only this topic' })
  @IsOptional()
  @IsString()
  @MaxLength(249)
  topic?: string;

  @ApiPropertyOptional({ description: "Only this model's topic", example: 'sale.order' })
  @IsOptional()
  @IsString()
  @MaxLength(128)
  model?: string;

  @ApiPropertyOptional({ description: 'Why: kept with the record' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  reason?: string;

  @ApiPropertyOptional({ description: 'Do it; without it the answer is the plan only' })
  @IsOptional()
  @IsBoolean()
  execute?: boolean;

  @ApiPropertyOptional({ description: 'Subscribers: re-send with new webhook-ids' })
  @IsOptional()
  @IsBoolean()
  new_delivery_ids?: boolean;
}

export class RebuildRequestDto {
  @ApiProperty({ example: 'feed', description: 'feed, sync-state, deliveries, telegram or events' })
  @IsString()
  @Length(1, 64)
  projection: string;

  @ApiPropertyOptional({ description: 'Keep the replaced tables in schema odoo_stream_replaced' })
  @IsOptional()
  @IsBoolean()
  keep_old?: boolean;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(500)
  reason?: string;
}

class PartitionLagView {
  @ApiProperty() topic: string;
  @ApiProperty() partition: number;
  @ApiProperty() committed: string;
  @ApiProperty() end: string;
  @ApiProperty() lag: number;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) committedAt: string | null;
}

class RebuildProgressView {
  @ApiProperty() id: string;
  @ApiProperty() done: number;
  @ApiProperty() total: number;
  @ApiProperty() lag: number;
}

class SubscriberRefView {
  @ApiProperty() id: number;
  @ApiProperty() name: string;
}

export class ConsumerStateView {
  @ApiProperty({ example: 'dispatcher.erp-connector' }) name: string;
  @ApiPropertyOptional({ type: SubscriberRefView, description: 'Subscribers only' })
  subscriber?: SubscriberRefView;
  @ApiProperty() group: string;
  @ApiProperty({ enum: ['running', 'stopped', 'paused', 'rebuilding'] }) state: string;
  @ApiProperty({ example: 'Stable' }) kafka_state: string;
  @ApiProperty() members: number;
  @ApiProperty() lag: number;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) last_commit_at: string | null;
  @ApiProperty({ type: [PartitionLagView] }) partitions: PartitionLagView[];
  @ApiPropertyOptional({ type: RebuildProgressView, description: 'Only while rebuilding' })
  rebuild?: RebuildProgressView;
}

class PlannedPartitionView {
  @ApiProperty() topic: string;
  @ApiProperty() partition: number;
  @ApiProperty({ nullable: true, type: String }) current: string | null;
  @ApiProperty() next: string;
  @ApiProperty() end: string;
  @ApiProperty({ description: 'Events processed again' }) again: string;
  @ApiProperty({ description: 'Events passed over' }) skipped: string;
}

export class ReplayPlanDocView {
  @ApiProperty() consumer: string;
  @ApiProperty() group: string;
  @ApiProperty({ example: 'to-datetime 2026-12-01T09:40:00.000Z' }) target: string;
  @ApiProperty({ type: [PlannedPartitionView] }) partitions: PlannedPartitionView[];
  @ApiProperty() again: string;
  @ApiProperty() skipped: string;
}

class MovedPartitionView {
  @ApiProperty() topic: string;
  @ApiProperty() partition: number;
  @ApiProperty({ nullable: true, type: String }) before: string | null;
  @ApiProperty() after: string;
  @ApiProperty() end: string;
}

export class ControlRecordView {
  @ApiProperty({ enum: ['replay', 'rebuild'] }) type: string;
  @ApiProperty() id: string;
  @ApiProperty() consumer: string;
  @ApiProperty() group: string;
  @ApiProperty({ description: 'key:<admin key name> or cli:<user>' }) by: string;
  @ApiProperty({ format: 'date-time' }) at: string;
  @ApiProperty({ nullable: true, type: String }) reason: string | null;
  @ApiProperty({ type: [MovedPartitionView] }) offsets: MovedPartitionView[];
  @ApiPropertyOptional({ description: 'replay' }) target?: string;
  @ApiPropertyOptional({ description: 'replay' }) new_delivery_ids?: boolean;
  @ApiPropertyOptional({ enum: ['started', 'swapped', 'failed'], description: 'rebuild' })
  status?: string;
  @ApiPropertyOptional({ description: 'rebuild' }) events?: number;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'rebuild' })
  detail?: string | null;
}

export class ReplayAnswerView {
  @ApiProperty({ type: ReplayPlanDocView }) plan: ReplayPlanDocView;
  @ApiPropertyOptional({ type: ControlRecordView, description: 'Absent: plan only' })
  record?: ControlRecordView;
}
