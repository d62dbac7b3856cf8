import { KafkaMessage } from 'kafkajs';
import { EntityManager } from 'typeorm';
import { internalTopic, JsonImage } from '@odoo-stream/events';
import { ModelEventDecoder } from '@odoo-stream/schema-registry';
import {
  BotReply,
  conversationStep,
  issueCode,
  NEW_USER,
  NotificationRule,
  notificationRecipient,
  ORDER_STATE_RULE,
  orderStatusText,
  privateTextMessage,
  TELEGRAM_TEXT_LIMIT,
  TelegramEvent,
  TelegramUserState,
  userLanguage,
} from '@odoo-stream/telegram';
import { TemplateRenderer, WebhookEvent } from '@odoo-stream/webhooks';
import { ProjectedMessage, Projection } from '../framework/projection';
import { PROJECTIONS, TELEGRAM_MODELS } from '../projection-catalog';
import { TelegramTables } from './telegram-tables';

/** A change of a record the bot cares about: a sale order or a partner. */
export interface RecordChange {
  event_id: string;
  model: string;
  op: 'create' | 'write' | 'unlink' | 'read';
  record_id: number;
  changed_fields: string[];
  values: JsonImage;
  at: Date;
}

export type TelegramItem = { telegram: TelegramEvent } | { change: RecordChange };

class MalformedTelegramEvent extends Error {
  override name = 'MalformedTelegramEvent';
}

const TELEGRAM_EVENT_TYPES = new Set([
  'update',
  'user.registered',
  'user.linked',
  'code.requested',
  'user.unblocked',
  'reply',
  'message.sent',
  'message.failed',
]);

/**
 * The Telegram tables, from `<prefix>.stream.telegram` (updates, operator actions, send results)
 * and the sale.order and res.partner topics: customers and their verification, conversations,
 * the outbox the sender works through, and the orders `/orders` lists. Every message the bot is
 * to send becomes an outbox row under a key derived from what caused it, so a message applied
 * again (a replay, a rebuild) adds no second row.
 */
export class TelegramProjection implements Projection<TelegramItem> {
  readonly name = 'telegram';
  readonly tables = PROJECTIONS.telegram.tables;

  private readonly templates = new TemplateRenderer();
  /** Models with a notification rule, as of the last batch applied. */
  private ruleModels = new Set<string>();

  constructor(
    private readonly prefix: string,
    private readonly decoder: ModelEventDecoder,
  ) {}

  /** `<prefix>.<db>.<model>` -> model. */
  private modelOf(topic: string): string {
    const rest = topic.slice(this.prefix.length + 1);
    return rest.slice(rest.indexOf('.') + 1);
  }

  selectTopics(existing: string[]): string[] {
    return PROJECTIONS.telegram.topics(this.prefix, existing);
  }

  async decode(topic: string, _partition: number, message: KafkaMessage) {
    if (topic === internalTopic(this.prefix, 'telegram')) {
      let event: TelegramEvent;
      try {
        event = JSON.parse(String(message.value)) as TelegramEvent;
      } catch {
        throw new MalformedTelegramEvent(`not JSON on ${topic}`);
      }
      if (!event || !TELEGRAM_EVENT_TYPES.has(event.type) || !Number.isSafeInteger(event.bot_id)) {
        throw new MalformedTelegramEvent(`not a Telegram event on ${topic}`);
      }
      return { telegram: event };
    }
    if (!message.value) return null; // tombstone
    const model = this.modelOf(topic);
    if (!TELEGRAM_MODELS.includes(model) && !this.ruleModels.has(model)) return null;
    const { event, toJson } = await this.decoder.decode(message.value);
    const image = event.op === 'unlink' ? event.before : event.after;
    return {
      change: {
        event_id: event.event_id,
        model: event.model,
        op: event.op,
        record_id: event.record_id,
        changed_fields: event.changed_fields,
        values: image ? toJson(image) : { id: event.record_id },
        at: new Date(event.ts_ms),
      },
    };
  }

  async apply(tx: EntityManager, messages: ProjectedMessage<TelegramItem>[]): Promise<void> {
    const tables = new TelegramTables(tx);
    const rules = [ORDER_STATE_RULE, ...(await tables.rules())];
    this.ruleModels = new Set(rules.map((r) => r.model));
    // Consecutive record changes are applied together (a batch is one topic's); Telegram events
    // one by one, in order with them.
    let changes: RecordChange[] = [];
    for (const { value } of messages) {
      if ('change' in value) {
        changes.push(value.change);
        continue;
      }
      await this.applyChanges(tables, changes, rules);
      changes = [];
      await this.applyEvent(tables, value.telegram);
    }
    await this.applyChanges(tables, changes, rules);
  }

  /**
   * The records' last states in a few statements, then the notifications: recipients are read
   * once for the whole run, and each change notifies those verified when it happened.
   */
  private async applyChanges(
    tables: TelegramTables,
    changes: RecordChange[],
    rules: NotificationRule[],
  ): Promise<void> {
    if (changes.length === 0) return;
    const last = (model: string) => {
      const states = new Map<number, RecordChange>();
      for (const change of changes)
        if (change.model === model) states.set(change.record_id, change);
      return [...states.values()].map((c) => ({
        id: c.record_id,
        values: c.op === 'unlink' ? null : c.values,
        at: c.at,
      }));
    };
    await tables.savePartners(last('res.partner'));
    await tables.saveOrders(last('sale.order'));
    const notices = changes.flatMap((change) =>
      change.op === 'read'
        ? []
        : rules.flatMap((rule) => {
            const partnerId = notificationRecipient(rule, {
              model: change.model,
              event: change.op as WebhookEvent,
              changed_fields: change.changed_fields,
              data: change.values,
            });
            return partnerId === null ? [] : [{ rule, change, partnerId }];
          }),
    );
    if (notices.length === 0) return;
    const recipients = await tables.verifiedUsersOf([...new Set(notices.map((n) => n.partnerId))]);
    for (const { rule, change, partnerId } of notices) {
      // Only verified customers who have not blocked the bot, of bots that are active.
      for (const user of recipients.get(partnerId) ?? []) {
        // A change from before a customer's verification never gets a message, whatever order
        // a replay or a rebuild reads the topics in.
        if (user.verifiedAt > change.at) continue;
        const text = this.notificationText(rule, change, user);
        if (!text) continue;
        await tables.send(
          `notify:${rule.id}:${change.event_id}:${user.botId}:${user.telegramId}`,
          user.botId,
          user.telegramId,
          { kind: 'notification', text: text.slice(0, TELEGRAM_TEXT_LIMIT) },
          change.at,
          change.event_id,
        );
      }
    }
  }

  /** The rule's template over the record, or the built-in order message; null: nothing to say. */
  private notificationText(
    rule: NotificationRule,
    change: RecordChange,
    user: TelegramUserState,
  ): string | null {
    if (rule.template === null)
      return orderStatusText(change.values, change.at, userLanguage(user));
    try {
      const text = this.templates
        .renderText(rule.template, {
          event_id: change.event_id,
          event: change.op as WebhookEvent,
          model: change.model,
          record_id: change.record_id,
          timestamp: change.at.toISOString(),
          priority: 'medium',
          category: 'business',
          changed_fields: change.changed_fields,
          data: change.values,
        })
        .trim();
      return text || null;
    } catch {
      // Checked when the rule was saved; a record it cannot render on sends nothing.
      return null;
    }
  }

  private async applyEvent(tables: TelegramTables, event: TelegramEvent): Promise<void> {
    const at = new Date(event.at);
    const bot = await tables.bot(event.bot_id);
    switch (event.type) {
      case 'update': {
        const message = privateTextMessage(event.update);
        if (!bot?.active || !message) return;
        const key = `${event.bot_id}:${message.updateId}`;
        const existing = await tables.user(event.bot_id, message.chatId);
        const step = conversationStep(
          existing,
          {
            text: message.text,
            languageCode: message.languageCode,
            issueKey: `update:${key}`,
            at: at.getTime(),
          },
          bot.codeSecret,
        );
        if (step.user) {
          await tables.saveUser(event.bot_id, message.chatId, step.user, at, {
            firstName: message.firstName,
            username: message.username,
            lastMessageAt: at,
          });
        }
        if (step.keep) {
          await tables.addMessage(
            `in:${key}`,
            event.bot_id,
            message.chatId,
            'in',
            'text',
            message.text,
            null,
            at,
          );
        }
        const replies: BotReply[] = [...step.replies];
        if (step.listOrders && step.user) {
          replies.push({ kind: 'orders', text: await tables.ordersText(step.user) });
        }
        for (const [i, reply] of replies.entries()) {
          // A chat kept nowhere (it did not /start) gets its answer without a history.
          const history = step.user !== null;
          await tables.send(
            `reply:${key}:${i}`,
            event.bot_id,
            message.chatId,
            reply,
            at,
            null,
            null,
            history,
          );
        }
        return;
      }
      case 'user.registered':
      case 'user.linked':
      case 'code.requested': {
        if (!bot) return;
        const existing = (await tables.user(event.bot_id, event.telegram_id)) ?? NEW_USER;
        let user: TelegramUserState = existing;
        if ('partner_id' in event) {
          user = {
            ...user,
            partnerId: event.partner_id,
            partnerLang: await tables.partnerLang(event.partner_id),
          };
        }
        // Linking keeps a code the customer already has (they got it on /start).
        const live = user.codeHash !== null && (user.codeExpiresAt ?? 0) >= at.getTime();
        const wantsCode = !user.verified && (event.type !== 'user.linked' || !live);
        if (wantsCode) {
          const issued = issueCode(user, bot.codeSecret, `${event.type}:${event.id}`, at.getTime());
          user = issued.user;
          await tables.send(
            `code:${event.id}`,
            event.bot_id,
            event.telegram_id,
            issued.reply,
            at,
            null,
          );
        }
        await tables.saveUser(event.bot_id, event.telegram_id, user, at, {});
        return;
      }
      case 'user.unblocked':
        await tables.setBlocked(event.bot_id, event.telegram_id, false);
        return;
      case 'reply':
        await tables.send(
          `operator:${event.id}`,
          event.bot_id,
          event.telegram_id,
          { kind: 'reply', text: event.text },
          at,
          null,
          event.by,
        );
        await tables.setWaiting(event.bot_id, event.telegram_id, false);
        return;
      case 'message.sent':
        await tables.settle(event, 'sent', at, { messageId: event.message_id });
        return;
      case 'message.failed':
        await tables.settle(event, 'failed', at, { reason: event.reason });
        if (event.blocked) await tables.setBlocked(event.bot_id, event.telegram_id, true);
        return;
    }
  }
}
