import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDefined, IsIn, IsInt, IsISO8601, IsOptional, Matches, Max, Min } from 'class-validator';
import { DELIVERY_STATUSES } from '@odoo-stream/events';
import { MODEL_NAME } from '../feed/feed-dto';
import { PageQueryDto } from '../paging/page-query.dto';
import { MAX_RECORD_ID } from '../validation/record-id.pipe';

export class DeliveriesQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'Subscriber id' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_RECORD_ID)
  subscriber?: number;

  @ApiPropertyOptional({ enum: DELIVERY_STATUSES })
  @IsOptional()
  @IsIn(DELIVERY_STATUSES)
  status?: string;

  @ApiPropertyOptional({ example: 'sale.order' })
  @IsOptional()
  @Matches(MODEL_NAME, { message: 'model must be an Odoo model name' })
  model?: string;

  @ApiPropertyOptional({ description: 'Last attempt at or after this time (ISO 8601)' })
  @IsOptional()
  @IsISO8601()
  since?: string;
}

export class RecoverQueryDto {
  @ApiProperty({
    description: 'Re-send failed and dead deliveries last tried at or after this time',
  })
  @IsDefined({ message: 'since is required: an ISO 8601 time, e.g. 2026-12-02T09:40:00Z' })
  @IsISO8601({}, { message: 'since must be an ISO 8601 time, e.g. 2026-12-02T09:40:00Z' })
  since: string;
}
