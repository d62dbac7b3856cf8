import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { FeedEventView } from '../feed/feed-dto';
import { Transform, Type } from 'class-transformer';
import {
  IsArray,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { MODEL_NAME, modelList } from '../feed/feed-dto';

/** The add-on's rule: any characters ("iPhone de Ali", Arabic names, `android/3f2a`), 3 at least. */
const trimmed = ({ value }: { value: unknown }) =>
  typeof value === 'string' ? value.trim() : value;

class DeviceRefDto {
  @ApiProperty({ description: 'Odoo user id' })
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(Number.MAX_SAFE_INTEGER)
  user_id: number;

  @ApiProperty({ example: 'iPhone de Ali', minLength: 3, maxLength: 255 })
  @IsString()
  @Transform(trimmed)
  @Length(3, 255, { message: 'device_id must be 3 to 255 characters' })
  device_id: string;
}

export class SyncStateQueryDto extends DeviceRefDto {
  @ApiPropertyOptional({ default: 'mobile_app', example: 'sales_app' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  app_type: string = 'mobile_app';

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  device_info?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(64)
  app_version?: string;
}

export class SyncStateUpdateDto extends DeviceRefDto {
  @ApiProperty({ description: 'The feed id the device has everything up to' })
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(Number.MAX_SAFE_INTEGER)
  last_event_id: number;

  @ApiPropertyOptional({ default: 0 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(1_000_000_000)
  events_synced: number = 0;
}

export class SyncStatsQueryDto {
  @ApiPropertyOptional({ description: 'One user; all users when absent' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(Number.MAX_SAFE_INTEGER)
  user_id?: number;

  @ApiPropertyOptional({ description: 'Counts in by_app_type for this device only' })
  @IsOptional()
  @IsString()
  @Transform(trimmed)
  device_id?: string;

  @ApiPropertyOptional({ description: 'Counts in by_app_type for this app type only' })
  @IsOptional()
  @IsString()
  @Transform(trimmed)
  app_type?: string;
}

export class RegisterDeviceDto extends SyncStateQueryDto {}

export class SmartPullDto {
  @ApiPropertyOptional({ description: 'Must match the device token when given' })
  @IsOptional()
  @IsString()
  device_id?: string;

  @ApiPropertyOptional({ description: 'Must match the device token when given' })
  @IsOptional()
  @IsString()
  app_type?: string;

  @ApiPropertyOptional({ description: 'Ignored: the identity comes from the device token' })
  @IsOptional()
  user_id?: unknown;

  @ApiPropertyOptional({ description: "A subset of the app type's models", type: [String] })
  @IsOptional()
  @Transform(modelList)
  @IsArray()
  @IsString({ each: true })
  @Matches(MODEL_NAME, { each: true, message: 'models_filter must be Odoo model names' })
  models_filter?: string[];

  @ApiPropertyOptional({ default: 100, minimum: 1, maximum: 500 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit: number = 100;
}

export class SmartAckDto {
  @ApiProperty({ description: 'next_sync_token of the pull whose events the device stored' })
  @IsString()
  @IsNotEmpty()
  next_sync_token: string;
}

export class SyncStateView {
  @ApiProperty() id: number;
  @ApiProperty() user_id: number;
  @ApiProperty() device_id: string;
  @ApiProperty() app_type: string;
  @ApiProperty() last_event_id: number;
  @ApiProperty({ nullable: true, type: String }) last_sync_time: string | null;
  @ApiProperty() sync_count: number;
  @ApiProperty() is_active: boolean;
  @ApiPropertyOptional({ description: 'After an update' }) total_events_synced?: number;
  @ApiPropertyOptional({ description: 'When the request set it', type: String })
  device_info?: string | null;
  @ApiPropertyOptional({ description: 'When the request set it', type: String })
  app_version?: string | null;
}

/** The add-on's answer to sync-state and sync-state/update. */
export class SyncStateAnswer {
  @ApiProperty({ example: true }) success: boolean;
  @ApiProperty({ type: SyncStateView }) sync_state: SyncStateView;
  @ApiProperty({ format: 'date-time' }) timestamp: string;
}

export class DeviceSummaryView {
  @ApiProperty() device_id: string;
  @ApiProperty() app_type: string;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) last_sync_time: string | null;
  @ApiProperty() sync_count: number;
  @ApiProperty() total_events_synced: number;
  @ApiProperty() is_active: boolean;
}

export class SyncStatsView {
  @ApiProperty({ nullable: true, type: Number }) user_id: number | null;
  @ApiProperty() total_devices: number;
  @ApiProperty() active_devices: number;
  @ApiProperty() total_syncs: number;
  @ApiProperty() total_events_synced: number;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) last_sync_time: string | null;
  @ApiProperty({
    type: [DeviceSummaryView],
    description: "The user's devices; empty without user_id",
  })
  devices: DeviceSummaryView[];
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'integer' },
    description: 'Devices per app type, every app type present',
  })
  by_app_type: Record<string, number>;
}

export class SyncStatsResponse {
  @ApiProperty() success: boolean;
  @ApiProperty({ type: SyncStatsView }) stats: SyncStatsView;
  @ApiProperty({ format: 'date-time' }) timestamp: string;
}

export class DeviceRegistrationAnswer {
  @ApiProperty() success: boolean;
  @ApiProperty({ description: 'Bearer token the device syncs with' }) device_token: string;
  @ApiProperty() user_id: number;
  @ApiProperty() device_id: string;
  @ApiProperty() app_type: string;
  @ApiProperty({ type: SyncStateView }) sync_state: SyncStateView;
}

export class SmartPullAnswer {
  @ApiProperty({ example: 'success' }) status: string;
  @ApiProperty({ description: 'Rows after the checkpoint were deleted: resync, then ack' })
  must_resync: boolean;
  @ApiProperty() has_updates: boolean;
  @ApiProperty() new_events_count: number;
  @ApiProperty({ type: [FeedEventView] }) events: FeedEventView[];
  @ApiProperty({ description: 'Acknowledge it once the events are stored' })
  next_sync_token: string;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) last_sync_time: string | null;
  @ApiPropertyOptional() message?: string;
}

export class SmartAckAnswer {
  @ApiProperty({ enum: ['success', 'accepted'] }) status: string;
  @ApiProperty() last_event_id: number;
  @ApiPropertyOptional({ type: SyncStateView, nullable: true }) sync_state?: SyncStateView | null;
  @ApiPropertyOptional({ description: 'With 202: the acknowledgement, not applied yet' })
  ack_id?: string;
}
