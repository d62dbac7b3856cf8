import { Type } from 'avsc';
import {
  MalformedAcknowledgement,
  parseAcknowledgement,
  SYNC_ACK_SCHEMA,
  syncAckFromAvro,
} from './acknowledgements';

describe('acknowledgements written by other producers in Avro (SYNC_ACK_SCHEMA)', () => {
  const type = Type.forSchema(SYNC_ACK_SCHEMA as never);
  const roundTrip = (value: Record<string, unknown>) =>
    parseAcknowledgement(syncAckFromAvro(type.fromBuffer(type.toBuffer(value)) as never));

  it('read as the JSON the api writes', () => {
    expect(
      roundTrip({
        type: 'sync_updated',
        ack_id: 'a-1',
        user_id: 7,
        device_id: 'iPhone de Ali',
        at: '2026-12-02T10:00:00.000Z',
        last_event_id: 120,
        events_synced: 20,
        app_type: null,
        device_info: null,
        app_version: null,
      }),
    ).toEqual({
      type: 'sync.updated',
      ack_id: 'a-1',
      user_id: 7,
      device_id: 'iPhone de Ali',
      at: '2026-12-02T10:00:00.000Z',
      last_event_id: 120,
      events_synced: 20,
    });
  });

  it('refuses one without the fields its type needs', () => {
    expect(() =>
      roundTrip({
        type: 'sync_acknowledged',
        ack_id: 'a-2',
        user_id: 7,
        device_id: 'x',
        at: '2026-12-02T10:00:00.000Z',
        last_event_id: null,
        events_synced: null,
        app_type: null,
        device_info: null,
        app_version: null,
      }),
    ).toThrow(MalformedAcknowledgement);
  });
});
