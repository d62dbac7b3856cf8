import { Type } from 'avsc';
import { FramedEncoder, frame, unframe } from './wire-format';

const type = Type.forSchema({
  type: 'record',
  name: 'Row',
  fields: [
    { name: 'id', type: 'long' },
    { name: 'name', type: ['null', 'string'], default: null },
  ],
});

describe('FramedEncoder', () => {
  it('writes the same bytes as framing the Avro encoding', () => {
    const encoder = new FramedEncoder();
    const value = { id: 4711, name: 'Azure Interior' };
    expect(encoder.encode(type, 17, value)).toEqual(frame(17, type.toBuffer(value)));
  });

  it('gives every message its own bytes although the work buffer is reused', () => {
    const encoder = new FramedEncoder();
    const first = encoder.encode(type, 1, { id: 1, name: 'first' });
    encoder.encode(type, 2, { id: 2, name: 'second' });
    expect(type.fromBuffer(unframe(first).avro)).toEqual({ id: 1, name: 'first' });
    expect(unframe(first).schemaId).toBe(1);
  });

  it('grows for a value larger than its work buffer', () => {
    const encoder = new FramedEncoder();
    const name = 'x'.repeat(300_000);
    const framed = encoder.encode(type, 3, { id: 3, name });
    expect(type.fromBuffer(unframe(framed).avro)).toEqual({ id: 3, name });
  });

  it('writes a column the value leaves out as its default, null', () => {
    const framed = new FramedEncoder().encode(type, 4, { id: 4 });
    expect(type.fromBuffer(unframe(framed).avro)).toEqual({ id: 4, name: null });
  });
});
