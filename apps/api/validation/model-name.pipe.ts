import { BadRequestException, PipeTransform } from '@nestjs/common';
import { MODEL_NAME } from '../feed/feed-dto';

/** A path segment that must be an Odoo model name (`sale.order`). */
export class ModelNamePipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (typeof value !== 'string' || value.length > 128 || !MODEL_NAME.test(value)) {
      throw new BadRequestException(
        `model must be an Odoo model name, e.g. sale.order (got ${JSON.stringify(String(value ?? '').slice(0, 40))})`,
      );
    }
    return value;
  }
}
