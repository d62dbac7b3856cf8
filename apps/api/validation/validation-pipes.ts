import { ValidationPipe } from '@nestjs/common';

/**
 * odoo-stream's own endpoints (subscribers, deliveries, registry, smart sync v2): a key the DTO
 * does not know is a 400 naming it, so a typo in a setting never passes silently.
 */
export const strictValidation = new ValidationPipe({
  whitelist: true,
  forbidNonWhitelisted: true,
  transform: true,
});

/**
 * The add-on's paths (`/api/webhooks/...`): its controller reads the keys it knows and ignores
 * the rest (BridgeCore sends `db`, `app_type` and others where they mean nothing), so unknown keys
 * are dropped here, not refused.
 */
export const addonValidation = new ValidationPipe({
  whitelist: true,
  forbidNonWhitelisted: false,
  transform: true,
});
