import {
  BadRequestException,
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Inject,
  Param,
  Patch,
  Post,
  Req,
  UseGuards,
  UsePipes,
} from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiCookieAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiSecurity,
  ApiTags,
} from '@nestjs/swagger';
import { APP_CONFIG, AppConfig } from '@odoo-stream/config';
import { botApi, botApiProblem } from '@odoo-stream/telegram';
import { AdminKeyGuard } from '../auth/api-key.guard';
import { AuthenticatedRequest } from '../auth/principal';
import { RateLimitGuard } from '../auth/rate-limit.guard';
import { ApiErrors } from '../errors/api-errors.decorator';
import { RecordIdPipe } from '../validation/record-id.pipe';
import { strictValidation } from '../validation/validation-pipes';
import { botView, TelegramBotStore } from './telegram-bot-store';
import { TelegramActions } from './telegram-actions';
import { BotDto, LinkUserDto, RegisterUserDto, SetWebhookDto, UpdateBotDto } from './telegram-dto';
import { TelegramIdPipe } from './telegram-id.pipe';
import { TelegramReader } from './telegram-reader';
import {
  BotView,
  SuccessView,
  TelegramAcceptedView,
  TelegramUserView,
  WebhookInfoView,
  WebhookSetView,
} from './telegram-views';

/** Telegram bots and their customers, for administrators (admin key). */
@ApiTags('telegram')
@ApiSecurity('api-key')
@ApiCookieAuth('session')
@ApiErrors(400, 401, 404, 409, 429, 503)
@UseGuards(AdminKeyGuard, RateLimitGuard)
@UsePipes(strictValidation)
@Controller('api/telegram/bots')
export class TelegramAdminController {
  constructor(
    private readonly bots: TelegramBotStore,
    private readonly reader: TelegramReader,
    private readonly actions: TelegramActions,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get()
  @ApiOkResponse({ type: [BotView] })
  async list() {
    return (await this.bots.list()).map((b) => botView(b));
  }

  /** The answer shows the webhook secret whole, this once; the token never. */
  @Post()
  @ApiCreatedResponse({ type: BotView })
  async create(@Body() body: BotDto) {
    return botView(await this.bots.create(body), true);
  }

  @Get(':id')
  @ApiOkResponse({ type: BotView })
  async get(@Param('id', new RecordIdPipe('id')) id: number) {
    return botView(await this.bots.get(id));
  }

  @Patch(':id')
  @ApiOkResponse({ type: BotView })
  async update(@Param('id', new RecordIdPipe('id')) id: number, @Body() body: UpdateBotDto) {
    return botView(await this.bots.update(id, body), body.webhook_secret !== undefined);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiNoContentResponse()
  async remove(@Param('id', new RecordIdPipe('id')) id: number) {
    await this.bots.remove(id);
  }

  /** setWebhook at Telegram: `<url>/telegram/webhook/<secret>`, with the secret as secret_token. */
  @Post(':id/webhook')
  @HttpCode(200)
  @ApiOkResponse({ type: WebhookSetView })
  async setWebhook(@Param('id', new RecordIdPipe('id')) id: number, @Body() body: SetWebhookDto) {
    const bot = await this.bots.get(id);
    const base = (body.url ?? this.config.telegram.publicUrl)?.replace(/\/$/, '');
    if (!base) {
      throw new BadRequestException(
        'url is required (or set TELEGRAM_PUBLIC_URL): the https address Telegram calls',
      );
    }
    const url = `${base}/telegram/webhook/${bot.webhook_secret}`;
    await this.telegram(bot.token, (api) =>
      api.setWebhook(url, { secret_token: bot.webhook_secret, allowed_updates: ['message'] }),
    );
    return { success: true, url: `${base}/telegram/webhook/${bot.webhook_secret.slice(0, 4)}…` };
  }

  @Delete(':id/webhook')
  @HttpCode(200)
  @ApiOkResponse({ type: SuccessView })
  async deleteWebhook(@Param('id', new RecordIdPipe('id')) id: number) {
    const bot = await this.bots.get(id);
    await this.telegram(bot.token, (api) => api.deleteWebhook());
    return { success: true };
  }

  @Get(':id/webhook')
  @ApiOkResponse({ type: WebhookInfoView })
  async webhookInfo(@Param('id', new RecordIdPipe('id')) id: number) {
    const bot = await this.bots.get(id);
    const info = await this.telegram(bot.token, (api) => api.getWebhookInfo());
    // The URL holds the secret: shown shortened.
    return {
      ...info,
      url: info.url ? info.url.replace(/[^/]{5,}$/, (s) => `${s.slice(0, 4)}…`) : '',
    };
  }

  @Get(':id/users')
  @ApiOkResponse({ type: [TelegramUserView] })
  async users(@Param('id', new RecordIdPipe('id')) id: number) {
    await this.bots.get(id);
    return this.reader.users(id);
  }

  /** A customer known by their Telegram id: linked to the partner and sent a code. */
  @Post(':id/users')
  @HttpCode(202)
  @ApiAcceptedResponse({ type: TelegramAcceptedView })
  async register(
    @Param('id', new RecordIdPipe('id')) id: number,
    @Body() body: RegisterUserDto,
    @Req() request: AuthenticatedRequest,
  ) {
    await this.bots.get(id);
    return this.actions.publish(request, {
      type: 'user.registered',
      bot_id: id,
      telegram_id: body.telegram_id,
      partner_id: body.partner_id,
    });
  }

  @Post(':id/users/:telegramId/link')
  @HttpCode(202)
  @ApiAcceptedResponse({ type: TelegramAcceptedView })
  async link(
    @Param('id', new RecordIdPipe('id')) id: number,
    @Param('telegramId', new TelegramIdPipe()) telegramId: number,
    @Body() body: LinkUserDto,
    @Req() request: AuthenticatedRequest,
  ) {
    await this.known(id, telegramId);
    return this.actions.publish(request, {
      type: 'user.linked',
      bot_id: id,
      telegram_id: telegramId,
      partner_id: body.partner_id,
    });
  }

  /** A new code, sent to the customer; the previous one stops working. */
  @Post(':id/users/:telegramId/code')
  @HttpCode(202)
  @ApiAcceptedResponse({ type: TelegramAcceptedView })
  async code(
    @Param('id', new RecordIdPipe('id')) id: number,
    @Param('telegramId', new TelegramIdPipe()) telegramId: number,
    @Req() request: AuthenticatedRequest,
  ) {
    await this.known(id, telegramId);
    return this.actions.publish(request, {
      type: 'code.requested',
      bot_id: id,
      telegram_id: telegramId,
    });
  }

  @Post(':id/users/:telegramId/unblock')
  @HttpCode(202)
  @ApiAcceptedResponse({ type: TelegramAcceptedView })
  async unblock(
    @Param('id', new RecordIdPipe('id')) id: number,
    @Param('telegramId', new TelegramIdPipe()) telegramId: number,
    @Req() request: AuthenticatedRequest,
  ) {
    await this.known(id, telegramId);
    return this.actions.publish(request, {
      type: 'user.unblocked',
      bot_id: id,
      telegram_id: telegramId,
    });
  }

  private async known(botId: number, telegramId: number) {
    await this.bots.get(botId);
    if (!(await this.reader.user(botId, telegramId))) {
      throw new BadRequestException(`telegram user ${telegramId} is not known to bot ${botId}`);
    }
  }

  private async telegram<T>(token: string, call: (api: ReturnType<typeof botApi>) => Promise<T>) {
    try {
      return await call(botApi(token, this.config.telegram.apiRoot));
    } catch (error) {
      throw new BadRequestException(`Telegram refused: ${botApiProblem(error)}`);
    }
  }
}
