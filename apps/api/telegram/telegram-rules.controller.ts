import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  NotFoundException,
  Param,
  Post,
  UseGuards,
  UsePipes,
} from '@nestjs/common';
import {
  ApiCookieAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiSecurity,
  ApiTags,
} from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { TemplateRenderer } from '@odoo-stream/webhooks';
import { AdminKeyGuard } from '../auth/api-key.guard';
import { RateLimitGuard } from '../auth/rate-limit.guard';
import { ApiErrors } from '../errors/api-errors.decorator';
import { RecordIdPipe } from '../validation/record-id.pipe';
import { checkRuleDefinition } from '../validation/rule-definition';
import { strictValidation } from '../validation/validation-pipes';
import { NotificationRuleDto } from './telegram-dto';
import { NotificationRuleView } from './telegram-views';

const COLUMNS = `id, name, model, events, tracked_fields, filter_domain, template, recipient_field,
  active, created_at`;

function ruleView(row: Record<string, unknown>) {
  return { ...row, created_at: new Date(row.created_at as string).toISOString() };
}

/**
 * Telegram messages beyond the built-in order-status one, without code: which changes (the
 * webhook rule engine), what to say (a template), and to whom (a partner field). Admin key.
 */
@ApiTags('telegram')
@ApiSecurity('api-key')
@ApiCookieAuth('session')
@ApiErrors(400, 401, 404, 429, 503)
@UseGuards(AdminKeyGuard, RateLimitGuard)
@UsePipes(strictValidation)
@Controller('api/telegram/rules')
export class TelegramRulesController {
  private readonly templates = new TemplateRenderer();

  constructor(private readonly db: DataSource) {}

  @Get()
  @ApiOkResponse({ type: [NotificationRuleView] })
  async list() {
    return (await this.db.query(`SELECT ${COLUMNS} FROM telegram_rule ORDER BY id`)).map(ruleView);
  }

  @Post()
  @ApiCreatedResponse({ type: NotificationRuleView })
  async create(@Body() body: NotificationRuleDto) {
    checkRuleDefinition(this.templates, body, 'text');
    const [row] = await this.db.query(
      `INSERT INTO telegram_rule (name, model, events, tracked_fields, filter_domain, template,
         recipient_field, active)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING ${COLUMNS}`,
      [
        body.name,
        body.model,
        [...new Set(body.events)],
        body.tracked_fields ?? [],
        body.filter_domain ?? null,
        body.template,
        body.recipient_field ?? 'partner_id',
        body.active ?? true,
      ],
    );
    return ruleView(row);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiNoContentResponse()
  async remove(@Param('id', new RecordIdPipe('id')) id: number) {
    const [, count] = await this.db.query(`DELETE FROM telegram_rule WHERE id = $1`, [id]);
    if (count === 0) throw new NotFoundException(`no telegram rule ${id}`);
  }
}
