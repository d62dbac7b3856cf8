import { checkRuleDefinition } from '../validation/rule-definition';
import {
  BadRequestException,
  ConflictException,
  Inject,
  Injectable,
  NotFoundException,
} from '@nestjs/common';
import { OdooDatabase } from '../odoo-database/odoo-database';
import { DataSource } from 'typeorm';
import { closeNames } from './model-names';
import { APP_CONFIG, AppConfig } from '@odoo-stream/config';
import { loadSubscribers, SubscriberRecord } from '@odoo-stream/db';
import {
  checkEndpoint,
  EndpointRefused,
  newSigningSecret,
  RETRY_SCHEDULES,
  TemplateRenderer,
} from '@odoo-stream/webhooks';
import { SubscriberDto, SubscriptionDto, UpdateSubscriberDto } from './subscriber-dto';

/** Subscribers and subscriptions: checked completely before anything is written. */
@Injectable()
export class SubscriberStore {
  private readonly templates = new TemplateRenderer();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly dataSource: DataSource,
    private readonly odoo: OdooDatabase,
  ) {}

  /**
   * A subscription names a model capture tracks, or one installed in Odoo (its `ir_model`, when
   * the api has ODOO_DATABASE_URL) that TRACKED_MODELS may add later; a typo is refused with the
   * names it may have meant.
   */
  private async checkModel(model: string): Promise<void> {
    const tracked = this.config.capture.trackedModels;
    if (tracked.includes(model)) return;
    let installed: string[] = [];
    if (this.odoo.configured) {
      const rows = await this.odoo
        .query<{ model: string }>('SELECT model FROM ir_model')
        .catch(() => [] as Array<{ model: string }>);
      installed = rows.map((r) => r.model);
      if (installed.includes(model)) return;
    }
    const close = closeNames(model, [...new Set([...tracked, ...installed])]);
    throw new BadRequestException(
      `model '${model}' is not tracked (TRACKED_MODELS)${this.odoo.configured ? ' nor installed in Odoo' : ''}` +
        (close.length > 0 ? `; did you mean ${close.join(', ')}?` : ''),
    );
  }

  list(): Promise<SubscriberRecord[]> {
    return loadSubscribers(this.dataSource);
  }

  async get(id: number): Promise<SubscriberRecord> {
    const [found] = await loadSubscribers(this.dataSource, { id });
    if (!found) throw new NotFoundException(`no subscriber ${id}`);
    return found;
  }

  async create(dto: SubscriberDto): Promise<SubscriberRecord> {
    const row = await this.columns(dto, undefined);
    row.secret ??= newSigningSecret();
    const names = Object.keys(row);
    const [{ id }] = await this.unique(() =>
      this.dataSource.query(
        `INSERT INTO webhook_subscriber (${names.join(', ')})
         VALUES (${names.map((_, i) => `$${i + 1}`).join(', ')}) RETURNING id`,
        Object.values(row),
      ),
    );
    return this.get(id);
  }

  async update(id: number, dto: UpdateSubscriberDto): Promise<SubscriberRecord> {
    const current = await this.get(id);
    const row = await this.columns(dto, current);
    if (dto.rotate_secret) {
      row.previous_secret = current.secret;
      row.secret = newSigningSecret();
      row.rotated_at = new Date();
    } else if (dto.finish_rotation) {
      // The receiver holds the new secret: the previous one stops signing now.
      row.previous_secret = null;
      row.rotated_at = null;
    }
    if (dto.enabled === true) {
      row.disabled_reason = null;
      row.failing_since = null;
    }
    const names = Object.keys(row);
    if (names.length > 0) {
      await this.unique(() =>
        this.dataSource.query(
          `UPDATE webhook_subscriber SET ${names.map((n, i) => `${n} = $${i + 2}`).join(', ')},
             updated_at = now() WHERE id = $1`,
          [id, ...Object.values(row)],
        ),
      );
    }
    return this.get(id);
  }

  async remove(id: number): Promise<void> {
    const [, count] = await this.dataSource.query(`DELETE FROM webhook_subscriber WHERE id = $1`, [
      id,
    ]);
    if (count === 0) throw new NotFoundException(`no subscriber ${id}`);
  }

  async addSubscription(subscriberId: number, dto: SubscriptionDto) {
    await this.get(subscriberId);
    await this.checkModel(dto.model);
    checkRuleDefinition(this.templates, dto, 'json');
    const [{ id }] = await this.dataSource.query(
      `INSERT INTO webhook_subscription (subscriber_id, model, events, tracked_fields, filter_domain,
         included_fields, excluded_fields, template, priority)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
      [
        subscriberId,
        dto.model,
        [...new Set(dto.events)],
        dto.tracked_fields ?? [],
        dto.filter_domain ?? null,
        dto.included_fields ?? null,
        dto.excluded_fields ?? null,
        dto.template ?? null,
        dto.priority ?? null,
      ],
    );
    return (await this.get(subscriberId)).subscriptions.find((s) => s.id === id);
  }

  async removeSubscription(subscriberId: number, id: number): Promise<void> {
    const [, count] = await this.dataSource.query(
      `DELETE FROM webhook_subscription WHERE id = $1 AND subscriber_id = $2`,
      [id, subscriberId],
    );
    if (count === 0)
      throw new NotFoundException(`no subscription ${id} of subscriber ${subscriberId}`);
  }

  /** The columns a create or update sets, after checking what needs more than a DTO can say. */
  private async columns(dto: UpdateSubscriberDto, current: SubscriberRecord | undefined) {
    const row: Record<string, unknown> = {};
    const set = (column: string, value: unknown) => {
      if (value !== undefined) row[column] = value;
    };
    if (dto.endpoint_url !== undefined) {
      try {
        const url = await checkEndpoint(dto.endpoint_url, {
          allowPrivate: this.config.webhooks.allowPrivateEndpoints,
        });
        row.endpoint_url = url.toString();
      } catch (error) {
        if (error instanceof EndpointRefused) throw new BadRequestException(error.message);
        throw error;
      }
    }
    const authType = dto.auth_type ?? current?.auth_type ?? 'none';
    const credential =
      authType === 'bearer' ? dto.token : authType === 'basic' ? dto.password : dto.api_key;
    const needs: Record<string, string[]> = {
      bearer: ['token'],
      basic: ['username', 'password'],
      api_key: ['api_key'],
      none: [],
    };
    if (dto.auth_type !== undefined && dto.auth_type !== current?.auth_type) {
      const missing = needs[authType].filter((f) => !(dto as Record<string, unknown>)[f]);
      if (missing.length > 0) {
        throw new BadRequestException(`auth_type ${authType} needs ${missing.join(' and ')}`);
      }
    }
    if (dto.custom_headers !== undefined) {
      const bad = Object.entries(dto.custom_headers).filter(
        ([k, v]) => !/^[A-Za-z0-9-]{1,128}$/.test(k) || typeof v !== 'string',
      );
      if (bad.length > 0) {
        throw new BadRequestException(
          `custom_headers must map header names to strings (not ${bad.map(([k]) => k).join(', ')})`,
        );
      }
    }
    set('name', dto.name);
    set('enabled', dto.enabled);
    set('auth_type', dto.auth_type);
    set('auth_username', authType === 'basic' ? dto.username : dto.auth_type ? null : undefined);
    set('auth_secret', credential ?? (dto.auth_type === 'none' ? null : undefined));
    set('api_key_header', dto.api_key_header);
    set('custom_headers', dto.custom_headers && JSON.stringify(dto.custom_headers));
    set('secret', dto.secret);
    // G-Assistant checks the plain HMAC header: the preset sends it unless told otherwise.
    set(
      'signature_header',
      dto.signature_header ??
        (dto.preset === 'g-assistant' && !current ? 'X-Signature-256' : undefined),
    );
    set('preset', dto.preset);
    set('timeout_ms', dto.timeout_ms);
    set('rate_limit_per_minute', dto.rate_limit);
    set('retry_schedule', dto.retry_schedule && retrySchedule(dto.retry_schedule));
    set('ordered', dto.ordered);
    set('max_concurrency', dto.max_concurrency);
    set('batch_size', dto.batch_size);
    set('batch_timeout_ms', dto.batch_timeout_ms);
    return row;
  }

  private async unique<T>(write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } catch (error) {
      if ((error as { code?: string }).code === '23505') {
        throw new ConflictException('a subscriber with this endpoint_url exists already');
      }
      throw error;
    }
  }
}

function retrySchedule(value: unknown): number[] {
  if (value === 'default' || value === 'standard-webhooks') return [...RETRY_SCHEDULES[value]];
  if (
    Array.isArray(value) &&
    value.length >= 1 &&
    value.length <= 20 &&
    value.every((s) => Number.isInteger(s) && s >= 1 && s <= 86_400)
  ) {
    return value as number[];
  }
  throw new BadRequestException(
    "retry_schedule must be 'default', 'standard-webhooks' or 1-20 whole seconds from 1 to 86400",
  );
}
