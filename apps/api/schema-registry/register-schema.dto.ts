import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString } from 'class-validator';
import { COMPATIBILITY_LEVELS } from '@odoo-stream/schema-registry';

/** Body of POST /subjects/{subject}/versions and POST /subjects/{subject}, as Confluent's. */
export class RegisterSchemaDto {
  @ApiProperty({ description: 'The Avro schema, as a JSON string' })
  @IsString()
  schema: string;

  @ApiPropertyOptional({ enum: ['AVRO'], default: 'AVRO' })
  @IsOptional()
  @IsIn(['AVRO'], { message: 'schemaType must be AVRO: odoo-stream keeps Avro schemas only' })
  schemaType?: string;

  @ApiPropertyOptional({ description: 'Schema references (not supported; must be empty)' })
  @IsOptional()
  references?: unknown[];
}

/** Body of PUT /config/{subject}. */
export class UpdateCompatibilityDto {
  @ApiProperty({ enum: COMPATIBILITY_LEVELS })
  @IsIn(COMPATIBILITY_LEVELS, {
    message: `compatibility must be one of ${COMPATIBILITY_LEVELS.join(', ')}`,
  })
  compatibility: (typeof COMPATIBILITY_LEVELS)[number];
}
