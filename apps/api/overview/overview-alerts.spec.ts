import { overviewAlerts } from './overview-alerts';

const quiet = {
  capture: { slot: 'odoo_stream', status: 'streaming' },
  disabled: [],
  dead: [],
  deadLetters: { topic: 'odoo.stream.dead-letters', count: 0 },
};

describe('overviewAlerts', () => {
  it('has nothing to say when all is well (or capture is not watched)', () => {
    expect(overviewAlerts(quiet)).toEqual([]);
    expect(overviewAlerts({ ...quiet, capture: { slot: 's', status: 'unknown' } })).toEqual([]);
  });

  it('names capture off its slot, disabled subscribers, dead deliveries and dead letters', () => {
    expect(
      overviewAlerts({
        capture: { slot: 'odoo_stream', status: 'stopped' },
        disabled: [{ id: 3, name: 'CRM', disabled_reason: 'failing for 3 days' }],
        dead: [
          { subscriber_id: 3, name: 'CRM', count: 1 },
          { subscriber_id: 9, name: null, count: 12 },
        ],
        deadLetters: { topic: 'odoo.stream.dead-letters', count: 2 },
      }),
    ).toEqual([
      { kind: 'capture-stopped', message: 'capture is not reading slot odoo_stream' },
      {
        kind: 'subscriber-disabled',
        subscriber_id: 3,
        message: 'subscriber CRM is disabled: failing for 3 days',
      },
      {
        kind: 'dead-deliveries',
        subscriber_id: 3,
        count: 1,
        message: '1 dead delivery for subscriber CRM',
      },
      {
        kind: 'dead-deliveries',
        subscriber_id: 9,
        count: 12,
        message: '12 dead deliveries for subscriber 9',
      },
      {
        kind: 'dead-letters',
        count: 2,
        message: '2 events a projection could not apply, on odoo.stream.dead-letters',
      },
    ]);
  });
});
