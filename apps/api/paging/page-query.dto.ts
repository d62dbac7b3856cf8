import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';

/** `limit` and `cursor` of every odoo-stream list endpoint. */
export class PageQueryDto {
  @ApiPropertyOptional({ default: 100, maximum: 1000 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  limit: number = 100;

  @ApiPropertyOptional({
    description:
      'Where the page starts: the X-Next-Cursor (or Link rel="next") of the previous page',
  })
  @IsOptional()
  @IsString()
  @MaxLength(512)
  cursor?: string;
}
