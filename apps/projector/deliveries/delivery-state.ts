import { DeliveryAttempt } from '@odoo-stream/events';

/** A delivery's row in `webhook_delivery` after a run of its attempt records. */
export type DeliveryState = Omit<
  DeliveryAttempt,
  'type' | 'attempt' | 'at' | 'body_omitted' | 'replay_id'
> & {
  attempts: number;
  first_attempt_at: string;
  last_attempt_at: string;
  delivered_at: string | null;
  replay_id: string | null;
};

/**
 * Folds a batch of attempt records into one state per delivery, as applying them one by one
 * would leave the row: a record with fewer attempts than the state is ignored, the first attempt
 * time and the first delivery time are kept, a replay id stays until another replaces it. The
 * database applies the same rules once more against the row it already has. No I/O.
 */
export function deliveryStates(records: DeliveryAttempt[]): DeliveryState[] {
  const states = new Map<string, DeliveryState>();
  for (const r of records) {
    const before = states.get(r.delivery_id);
    if (before && r.attempt < before.attempts) continue;
    // eslint-disable-next-line @typescript-eslint/no-unused-vars
    const { type, attempt, at, body_omitted, replay_id, ...kept } = r;
    states.set(r.delivery_id, {
      ...kept,
      body: r.body ?? null,
      attempts: attempt,
      first_attempt_at: before?.first_attempt_at ?? at,
      last_attempt_at: at,
      delivered_at: before?.delivered_at ?? (r.status === 'sent' ? at : null),
      replay_id: replay_id ?? before?.replay_id ?? null,
    });
  }
  return [...states.values()];
}
