import {
  BadRequestException,
  Body,
  Controller,
  Get,
  HttpCode,
  NotFoundException,
  Param,
  Post,
  Query,
  Req,
  UseGuards,
  UsePipes,
} from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiCookieAuth,
  ApiOkResponse,
  ApiQuery,
  ApiSecurity,
  ApiTags,
} from '@nestjs/swagger';
import { TelegramActions } from './telegram-actions';
import { AuthenticatedRequest } from '../auth/principal';
import { RateLimitGuard } from '../auth/rate-limit.guard';
import { ApiErrors } from '../errors/api-errors.decorator';
import { RecordIdPipe } from '../validation/record-id.pipe';
import { strictValidation } from '../validation/validation-pipes';
import { ReplyDto } from './telegram-dto';
import { TelegramIdPipe } from './telegram-id.pipe';
import { TelegramOperatorGuard } from './telegram-operator.guard';
import { TelegramReader } from './telegram-reader';
import { TelegramAcceptedView, TelegramMessageView, TelegramUserView } from './telegram-views';

/** Customers' messages and operators' replies (an admin key, or a key the bot lists as operator). */
@ApiTags('telegram')
@ApiSecurity('api-key')
@ApiCookieAuth('session')
@ApiErrors(400, 401, 403, 404, 429, 503)
@UseGuards(TelegramOperatorGuard, RateLimitGuard)
@UsePipes(strictValidation)
@Controller('api/telegram/bots/:id/conversations')
export class TelegramConversationsController {
  constructor(
    private readonly reader: TelegramReader,
    private readonly actions: TelegramActions,
  ) {}

  @Get()
  @ApiQuery({
    name: 'waiting',
    required: false,
    description: 'true: only those waiting for an answer',
  })
  @ApiOkResponse({ type: [TelegramUserView] })
  async list(@Param('id', new RecordIdPipe('id')) id: number, @Query('waiting') waiting?: string) {
    if (waiting !== undefined && waiting !== 'true' && waiting !== 'false') {
      throw new BadRequestException('waiting must be true or false');
    }
    return this.reader.conversations(id, waiting === 'true');
  }

  @Get(':telegramId/messages')
  @ApiOkResponse({ type: [TelegramMessageView] })
  async history(
    @Param('id', new RecordIdPipe('id')) id: number,
    @Param('telegramId', new TelegramIdPipe()) telegramId: number,
  ) {
    await this.known(id, telegramId);
    return this.reader.messages(id, telegramId);
  }

  /** Sent to the customer by the dispatcher; the history shows it with its status. */
  @Post(':telegramId/reply')
  @HttpCode(202)
  @ApiAcceptedResponse({ type: TelegramAcceptedView })
  async reply(
    @Param('id', new RecordIdPipe('id')) id: number,
    @Param('telegramId', new TelegramIdPipe()) telegramId: number,
    @Body() body: ReplyDto,
    @Req() request: AuthenticatedRequest,
  ) {
    await this.known(id, telegramId);
    return this.actions.publish(request, {
      type: 'reply',
      bot_id: id,
      telegram_id: telegramId,
      text: body.text,
    });
  }

  private async known(botId: number, telegramId: number) {
    if (!(await this.reader.user(botId, telegramId))) {
      throw new NotFoundException(`telegram user ${telegramId} of bot ${botId} not found`);
    }
  }
}
