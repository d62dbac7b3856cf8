import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class BotView {
  @ApiProperty() id: number;
  @ApiProperty() name: string;
  @ApiProperty({
    description: "The bot's id and the token's last 4 characters",
    example: '123456789:…wxyz',
  })
  token: string;
  @ApiProperty({ description: 'Whole only in the answer that made or changed it' })
  webhook_secret: string;
  @ApiPropertyOptional({
    description: 'Where Telegram posts updates (only when the secret is shown)',
  })
  webhook_path?: string;
  @ApiProperty({ type: [String] }) operators: string[];
  @ApiProperty({ enum: ['webhook', 'polling'] }) mode: string;
  @ApiProperty() active: boolean;
  @ApiProperty() created_at: string;
  @ApiProperty() updated_at: string;
}

export class WebhookSetView {
  @ApiProperty() success: boolean;
  @ApiProperty({ description: 'The webhook URL, its secret shortened' }) url: string;
}

export class SuccessView {
  @ApiProperty() success: boolean;
}

export class WebhookInfoView {
  @ApiProperty({ description: "Telegram's getWebhookInfo; the URL's secret shortened" })
  url: string;
  @ApiProperty() has_custom_certificate: boolean;
  @ApiProperty() pending_update_count: number;
  @ApiPropertyOptional() last_error_date?: number;
  @ApiPropertyOptional() last_error_message?: string;
  @ApiPropertyOptional({ type: [String] }) allowed_updates?: string[];
}

export class TelegramAcceptedView {
  @ApiProperty() success: boolean;
  @ApiProperty() accepted: boolean;
  @ApiProperty({ description: 'The event put on the Telegram topic' }) id: string;
  @ApiProperty() timestamp: string;
}

export class TelegramUserView {
  @ApiProperty() telegram_id: number;
  @ApiProperty({ nullable: true, type: Number }) partner_id: number | null;
  @ApiProperty({ nullable: true, type: String }) first_name: string | null;
  @ApiProperty({ nullable: true, type: String }) username: string | null;
  @ApiProperty() verified: boolean;
  @ApiProperty({ nullable: true, type: String }) verified_at: string | null;
  @ApiProperty({ description: 'Telegram answered 403: no messages until they write again' })
  blocked: boolean;
  @ApiProperty({ description: 'Has a message no operator answered yet' }) waiting: boolean;
  @ApiProperty({ nullable: true, type: String }) last_message_at: string | null;
  @ApiProperty({ nullable: true, type: String }) created_at: string | null;
}

export class TelegramMessageView {
  @ApiProperty() id: number;
  @ApiProperty({ enum: ['in', 'out'] }) direction: string;
  @ApiProperty({ enum: ['text', 'system', 'code', 'orders', 'notification', 'reply'] })
  kind: string;
  @ApiProperty({ description: 'A code message shows {code}: codes are kept nowhere' }) text: string;
  @ApiProperty({ nullable: true, type: String, description: 'The operator who replied' })
  by: string | null;
  @ApiProperty() at: string;
  @ApiPropertyOptional({ enum: ['pending', 'sent', 'failed'] }) status?: string;
}

export class NotificationRuleView {
  @ApiProperty() id: number;
  @ApiProperty() name: string;
  @ApiProperty() model: string;
  @ApiProperty({ type: [String] }) events: string[];
  @ApiProperty({ type: [String] }) tracked_fields: string[];
  @ApiProperty({ nullable: true, type: String }) filter_domain: string | null;
  @ApiProperty() template: string;
  @ApiProperty() recipient_field: string;
  @ApiProperty() active: boolean;
  @ApiProperty() created_at: string;
}
