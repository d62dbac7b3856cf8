import { BadRequestException, PipeTransform } from '@nestjs/common';

/** A Telegram user id in a path: a positive integer up to 2^53-1 (they pass 2^31). */
export class TelegramIdPipe implements PipeTransform<string, number> {
  transform(value: string): number {
    const n = Number(value);
    if (!/^[0-9]{1,16}$/.test(value ?? '') || n < 1 || !Number.isSafeInteger(n)) {
      throw new BadRequestException('telegram_id must be a positive integer (a Telegram user id)');
    }
    return n;
  }
}
