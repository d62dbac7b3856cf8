import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { PageQueryDto } from '../paging/page-query.dto';
import { MAX_RECORD_ID } from '../validation/record-id.pipe';

/** How far a device's count of events behind goes before it is shown as "more than". */
export const BEHIND_CAP = 10_000;

export class DevicesQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'Devices of this Odoo user only' })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'user_id must be an integer' })
  @Min(1, { message: 'user_id must be 1 or more' })
  @Max(MAX_RECORD_ID)
  user_id?: number;

  @ApiPropertyOptional({ example: 'sales_app' })
  @IsOptional()
  @Matches(/^[A-Za-z0-9_.-]{1,64}$/, {
    message: 'app_type must be an app type name, e.g. sales_app',
  })
  app_type?: string;
}

export class DeviceView {
  @ApiProperty() id: number;
  @ApiProperty() user_id: number;
  @ApiProperty() device_id: string;
  @ApiProperty() app_type: string;
  @ApiProperty({ description: 'The feed id the device has everything up to' })
  last_event_id: number;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) last_sync_time: string | null;
  @ApiProperty() sync_count: number;
  @ApiProperty() is_active: boolean;
  @ApiProperty({ nullable: true, type: String }) app_version: string | null;
  @ApiProperty({ nullable: true, type: String }) device_info: string | null;
  @ApiProperty({ description: 'Events in its last sync' }) last_event_count: number;
  @ApiProperty() total_events_synced: number;
  @ApiProperty({ format: 'date-time' }) created_at: string;
  @ApiProperty({ description: `Feed events after its checkpoint (counted up to ${BEHIND_CAP})` })
  events_behind: number;
  @ApiProperty({ description: `Whether there are more than ${BEHIND_CAP}` })
  behind_capped: boolean;
}
