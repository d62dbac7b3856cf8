import { DeliveryAttempt } from '@odoo-stream/events';
import { deliveryStates } from './delivery-state';

const record = (over: Partial<DeliveryAttempt>): DeliveryAttempt => ({
  type: 'delivery.attempt',
  delivery_id: 'd1',
  subscriber_id: 1,
  event_id: 'e1',
  model: 'sale.order',
  record_id: 4711,
  event: 'write',
  attempt: 0,
  status: 'pending',
  http_status: null,
  duration_ms: null,
  error_class: null,
  error_message: null,
  response_excerpt: null,
  next_retry_at: null,
  at: '2026-12-03T10:00:00.000Z',
  body: { id: 4711 },
  ...over,
});

describe('deliveryStates', () => {
  it('leaves each delivery as its records applied in order would: the latest attempt, the first times', () => {
    const states = deliveryStates([
      record({}),
      record({ delivery_id: 'd2', attempt: 1, status: 'sent', at: '2026-12-03T10:00:01.000Z' }),
      record({
        attempt: 1,
        status: 'failed',
        http_status: 503,
        next_retry_at: '2026-12-03T10:00:30.000Z',
        at: '2026-12-03T10:00:02.000Z',
      }),
      record({ attempt: 2, status: 'sent', http_status: 200, at: '2026-12-03T10:00:31.000Z' }),
    ]);
    expect(states).toHaveLength(2);
    const d1 = states.find((s) => s.delivery_id === 'd1');
    expect(d1).toMatchObject({
      status: 'sent',
      attempts: 2,
      http_status: 200,
      next_retry_at: null,
      first_attempt_at: '2026-12-03T10:00:00.000Z',
      last_attempt_at: '2026-12-03T10:00:31.000Z',
      delivered_at: '2026-12-03T10:00:31.000Z',
    });
    expect(states.find((s) => s.delivery_id === 'd2')).toMatchObject({
      attempts: 1,
      delivered_at: '2026-12-03T10:00:01.000Z',
    });
  });

  it('ignores a record with fewer attempts than the state, and keeps the first delivery time and a replay id', () => {
    const [state] = deliveryStates([
      record({ attempt: 1, status: 'sent', at: '2026-12-03T10:00:01.000Z' }),
      record({ attempt: 0, status: 'pending', at: '2026-12-03T10:00:02.000Z' }),
      record({ attempt: 2, status: 'sent', at: '2026-12-03T11:00:00.000Z', replay_id: 'r1' }),
      record({ attempt: 3, status: 'failed', at: '2026-12-03T11:00:05.000Z' }),
    ]);
    expect(state).toMatchObject({
      status: 'failed',
      attempts: 3,
      delivered_at: '2026-12-03T10:00:01.000Z',
      last_attempt_at: '2026-12-03T11:00:05.000Z',
      replay_id: 'r1',
    });
  });
});
