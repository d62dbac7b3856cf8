import {
  ControlState,
  isReplayed,
  parseControlMessage,
  RebuildRecord,
  ReplayRecord,
} from './control-messages';

const replay = (id: string, after: string, end: string): ReplayRecord => ({
  type: 'replay',
  id,
  consumer: 'dispatcher.subscriber-3',
  group: 'odoo.dispatcher.subscriber-3',
  target: 'to-earliest',
  offsets: [{ topic: 't', partition: 0, before: '90', after, end }],
  new_delivery_ids: false,
  by: 'cli:ops',
  at: '2026-12-02T10:00:00Z',
  reason: null,
});

describe('the control topic', () => {
  const group = 'odoo.projector.feed';

  it('knows the pause in effect until its resume or its deadline', () => {
    const state = new ControlState();
    const until = new Date(Date.now() + 60_000).toISOString();
    state.apply({ type: 'pause', id: 'p1', group, until, by: 'cli:ops', at: '' });
    expect(state.pauseOf(group)?.id).toBe('p1');
    expect(state.pauseOf(group, Date.now() + 120_000)).toBeUndefined();
    // A resume of another pause does not end this one.
    state.apply({ type: 'resume', id: 'p0', group, at: '' });
    expect(state.pauseOf(group)?.id).toBe('p1');
    state.apply({ type: 'resume', id: 'p1', group, at: '' });
    expect(state.pauseOf(group)).toBeUndefined();
  });

  it("keeps each group's last replay window and the history of replays and rebuilds", () => {
    const state = new ControlState();
    state.apply(replay('r1', '10', '20'));
    state.apply(replay('r2', '15', '30'));
    const window = state.replayWindowOf('odoo.dispatcher.subscriber-3');
    expect(window?.replayId).toBe('r2');
    expect(isReplayed(window, 't', 0, '14')).toBe(false);
    expect(isReplayed(window, 't', 0, '15')).toBe(true);
    expect(isReplayed(window, 't', 0, '29')).toBe(true);
    expect(isReplayed(window, 't', 0, '30')).toBe(false);
    expect(isReplayed(window, 't', 1, '20')).toBe(false);
    const rebuild: RebuildRecord = {
      type: 'rebuild',
      id: 'b1',
      consumer: 'projector.feed',
      group,
      status: 'started',
      offsets: [],
      events: 0,
      detail: null,
      by: 'key:operator',
      at: '',
      reason: null,
    };
    state.apply(rebuild);
    expect(state.rebuildOf(group)?.id).toBe('b1');
    state.apply({ ...rebuild, status: 'swapped' });
    state.apply({ ...rebuild, status: 'swapped' });
    expect(state.rebuildOf(group)).toBeUndefined();
    expect(state.history.map((r) => r.id)).toEqual(['r1', 'r2', 'b1', 'b1']);
  });

  it('refuses what is not a control message', () => {
    expect(() => parseControlMessage(Buffer.from('nope'))).toThrow('not JSON');
    expect(() =>
      parseControlMessage(Buffer.from('{"type":"explode","id":"1","group":"g"}')),
    ).toThrow('type, id and group are required');
  });
});
