import { replayRequest, ReplayForm } from './replay-request';

const form = (over: Partial<ReplayForm>): ReplayForm => ({
  consumer: 'dispatcher.crm',
  target: 'to_earliest',
  value: '',
  model: '',
  reason: '',
  ...over,
});

describe('replayRequest', () => {
  it('plans by default and executes only when asked', () => {
    expect(replayRequest(form({}), false)).toEqual({
      body: { consumer: 'dispatcher.crm', to_earliest: true },
    });
    expect(replayRequest(form({ reason: ' lost events ' }), true)).toEqual({
      body: { consumer: 'dispatcher.crm', to_earliest: true, reason: 'lost events', execute: true },
    });
  });

  it('sends a local time as UTC', () => {
    const local = '2026-12-03T09:40';
    const result = replayRequest(form({ target: 'to_datetime', value: local }), false);
    expect(result).toEqual({
      body: { consumer: 'dispatcher.crm', to_datetime: new Date(local).toISOString() },
    });
  });

  it('scopes to one model', () => {
    expect(
      replayRequest(form({ target: 'shift_by', value: '-100', model: 'sale.order' }), false),
    ).toEqual({
      body: { consumer: 'dispatcher.crm', shift_by: '-100', model: 'sale.order' },
    });
  });

  it('says what is missing before anything is sent', () => {
    expect(replayRequest(form({ consumer: '' }), false)).toEqual({ error: 'choose a consumer' });
    expect(replayRequest(form({ target: 'shift_by', value: 'ten' }), false)).toEqual({
      error: 'give a whole number of events, e.g. -100',
    });
    expect(replayRequest(form({ target: 'to_datetime', value: '' }), false)).toEqual({
      error: 'give the time to replay from',
    });
  });
});
