import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { degradedComponents } from '@odoo-stream/runtime';

/**
 * The apps hosted in this process (capture, projector, dispatcher beside the api with npm start)
 * are down while one of them retries after a failure; each one says what it waits for.
 */
@Injectable()
export class ComponentsHealthIndicator {
  constructor(private readonly health: HealthIndicatorService) {}

  check(key: string) {
    const indicator = this.health.check(key);
    const degraded = degradedComponents();
    const names = Object.keys(degraded);
    if (names.length === 0) return indicator.up();
    return indicator.down({
      message: `retrying after a failure: ${names.map((n) => `${n} (${degraded[n].reason})`).join('; ')}`,
      degraded,
    });
  }
}
