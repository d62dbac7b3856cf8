import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { BOT_TOKEN, TELEGRAM_TEXT_LIMIT, WEBHOOK_SECRET } from '@odoo-stream/telegram';
import { ChangeRuleDto } from '../subscribers/subscriber-dto';

const KEY_NAME = /^[A-Za-z0-9_.-]{1,64}$/;
const TELEGRAM_ID_MAX = 9_007_199_254_740_991;

export class BotDto {
  @ApiProperty({ example: 'Shop bot' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(128)
  name: string;

  @ApiProperty({ description: "BotFather's token; never shown again (masked in answers)" })
  @IsString()
  @Matches(BOT_TOKEN, { message: 'token is not a bot token from BotFather (<bot id>:<secret>)' })
  token: string;

  @ApiPropertyOptional({
    description:
      'The path secret and X-Telegram-Bot-Api-Secret-Token (16-256 of A-Z a-z 0-9 _ -); made when not given',
  })
  @IsOptional()
  @IsString()
  @Matches(WEBHOOK_SECRET, {
    message: 'webhook_secret must be 16 to 256 letters, digits, _ or - (what Telegram accepts)',
  })
  webhook_secret?: string;

  @ApiPropertyOptional({
    type: [String],
    description: 'Names of the API keys (API_KEYS) whose holders answer customers',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @Matches(KEY_NAME, {
    each: true,
    message: 'each operator is an API key name (1-64 letters, digits, _ . -)',
  })
  operators?: string[];

  @ApiPropertyOptional({ enum: ['webhook', 'polling'], default: 'webhook' })
  @IsOptional()
  @IsIn(['webhook', 'polling'])
  mode?: 'webhook' | 'polling';

  @ApiPropertyOptional({ default: true })
  @IsOptional()
  @IsBoolean()
  active?: boolean;
}

export class UpdateBotDto extends PartialType(BotDto) {}

export class SetWebhookDto {
  @ApiPropertyOptional({
    description: "This api's public https base URL; default TELEGRAM_PUBLIC_URL",
    example: 'https://stream.example.com',
  })
  @IsOptional()
  @IsString()
  @Matches(/^https?:\/\/[^\s/]+(\/[^\s]*)?$/, { message: 'url must be an http(s) URL' })
  @MaxLength(2000)
  url?: string;
}

export class RegisterUserDto {
  @ApiProperty({ description: "The customer's Telegram user id" })
  @IsInt()
  @Min(1)
  @Max(TELEGRAM_ID_MAX)
  telegram_id: number;

  @ApiProperty({ description: 'The Odoo partner (res.partner id)' })
  @IsInt()
  @Min(1)
  @Max(2_147_483_647)
  partner_id: number;
}

export class LinkUserDto {
  @ApiProperty({ description: 'The Odoo partner (res.partner id)' })
  @IsInt()
  @Min(1)
  @Max(2_147_483_647)
  partner_id: number;
}

export class ReplyDto {
  @ApiProperty({ maxLength: TELEGRAM_TEXT_LIMIT })
  @IsString()
  @IsNotEmpty()
  @MaxLength(TELEGRAM_TEXT_LIMIT)
  text: string;
}

export class NotificationRuleDto extends ChangeRuleDto {
  @ApiProperty({ example: 'Invoice posted' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(128)
  name: string;

  @ApiProperty({
    description: 'The message, a nunjucks (Jinja2) template over the record: {{ record.name }}',
    example: 'Invoice {{ record.name }} is posted: {{ record.amount_total | currency_format }}',
  })
  @IsString()
  @IsNotEmpty()
  @MaxLength(TELEGRAM_TEXT_LIMIT)
  template: string;

  @ApiPropertyOptional({
    default: 'partner_id',
    description: 'The field naming the partner to write to',
  })
  @IsOptional()
  @Matches(/^[a-z_][a-z0-9_]*$/, { message: 'recipient_field must be a field name' })
  recipient_field?: string;

  @ApiPropertyOptional({ default: true })
  @IsOptional()
  @IsBoolean()
  active?: boolean;
}
