import { BadRequestException, Injectable, PipeTransform } from '@nestjs/common';

/** The largest id a PostgreSQL `integer` (serial) column holds. */
export const MAX_RECORD_ID = 2_147_483_647;

/**
 * A path id of a table row: a decimal integer from 1 to 2147483647. Anything else is a 400
 * naming the parameter, before it reaches SQL (where it would be an overflow, a 500).
 */
@Injectable()
export class RecordIdPipe implements PipeTransform<string, number> {
  constructor(private readonly name = 'id') {}

  transform(value: string): number {
    if (!/^[0-9]{1,10}$/.test(value ?? '') || Number(value) < 1 || Number(value) > MAX_RECORD_ID) {
      throw new BadRequestException(
        `${this.name} must be an integer from 1 to ${MAX_RECORD_ID} (got ${JSON.stringify(String(value ?? '').slice(0, 40))})`,
      );
    }
    return Number(value);
  }
}
