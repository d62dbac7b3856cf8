import {
  BadRequestException,
  Body,
  Controller,
  Headers,
  HttpCode,
  Param,
  Post,
  UnauthorizedException,
} from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { timingSafeEqual } from 'node:crypto';
import { StreamPublisher } from '../acknowledgements/stream-publisher';
import { TelegramBotStore } from './telegram-bot-store';

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Where Telegram delivers a webhook bot's updates: `POST /telegram/webhook/<secret>`, with the
 * same secret in `X-Telegram-Bot-Api-Secret-Token` (setWebhook's secret_token). Answered once
 * the update is on the Telegram topic; Telegram sends it again on anything but 2xx.
 */
@ApiExcludeController()
@Controller('telegram/webhook')
export class TelegramWebhookController {
  constructor(
    private readonly bots: TelegramBotStore,
    private readonly publisher: StreamPublisher,
  ) {}

  @Post(':secret')
  @HttpCode(200)
  async receive(
    @Param('secret') secret: string,
    @Headers('x-telegram-bot-api-secret-token') header: string | undefined,
    @Body() update: unknown,
  ) {
    const bot = /^[A-Za-z0-9_-]{16,256}$/.test(secret) ? await this.bots.bySecret(secret) : null;
    if (!bot || typeof header !== 'string' || !sameSecret(header, bot.webhook_secret)) {
      throw new UnauthorizedException('not a webhook of this server');
    }
    const updateId = (update as { update_id?: unknown } | null)?.update_id;
    if (
      typeof update !== 'object' ||
      update === null ||
      Array.isArray(update) ||
      !Number.isSafeInteger(updateId)
    ) {
      throw new BadRequestException('not a Telegram Update (an object with an integer update_id)');
    }
    // An inactive bot's updates are taken (Telegram stops resending) and dropped.
    if (!bot.active) return { ok: true };
    await this.publisher.publishTelegram({
      type: 'update',
      bot_id: bot.id,
      update: update as never,
      at: new Date().toISOString(),
    });
    return { ok: true };
  }
}
