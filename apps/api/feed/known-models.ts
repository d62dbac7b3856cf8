import { BadRequestException } from '@nestjs/common';
import { AppConfig } from '@odoo-stream/config';

/** Models a filter may name: tracked ones, and those the feed and app types are set up for. */
export function knownModels(config: AppConfig): Set<string> {
  return new Set([
    ...config.capture.trackedModels,
    ...Object.keys(config.feed.priorities),
    ...Object.keys(config.feed.categories),
    ...Object.values(config.feed.appTypeModels).flat(),
  ]);
}

export function assertKnownModels(models: string[] | undefined, known: Set<string>): void {
  const unknown = (models ?? []).filter((m) => !known.has(m));
  if (unknown.length > 0) {
    throw new BadRequestException(
      `unknown model${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')} (not tracked by this odoo-stream)`,
    );
  }
}
