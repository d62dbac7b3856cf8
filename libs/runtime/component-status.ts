/**
 * What the apps of this process are waiting out: a component (capture, a projection, a
 * subscriber's consumer, the attempt log) that met a retriable failure marks itself degraded with
 * the reason while it retries, and healthy again once it works. `/health/ready` shows them.
 */
const degraded = new Map<string, { reason: string; since: string }>();

export function markDegraded(component: string, reason: string): void {
  if (!degraded.has(component))
    degraded.set(component, { reason, since: new Date().toISOString() });
  else degraded.get(component)!.reason = reason;
}

export function markHealthy(component: string): void {
  degraded.delete(component);
}

export function degradedComponents(): Record<string, { reason: string; since: string }> {
  return Object.fromEntries(degraded);
}
