import { BadRequestException } from '@nestjs/common';
import { nulBytePath, RejectNulBytesPipe } from './reject-nul-bytes.pipe';
import { RecordIdPipe } from './record-id.pipe';

describe('RejectNulBytesPipe', () => {
  const pipe = new RejectNulBytesPipe();

  it('names the field that holds a NUL character, at any depth', () => {
    expect(nulBytePath({ device_info: { model: 'Pixel\u00007' } })).toBe('device_info.model');
    expect(nulBytePath({ models: ['sale.order', 'a\u0000'] })).toBe('models[1]');
    expect(nulBytePath({ ['k\u0000']: 1 })).toBe('k\u0000');
    expect(() => pipe.transform({ app_version: '1.0\u0000' }, { type: 'body' })).toThrow(
      new BadRequestException('app_version must not contain a NUL character (\\u0000)'),
    );
    expect(() => pipe.transform('a\u0000', { type: 'param', data: 'id' })).toThrow(
      'id must not contain a NUL character',
    );
  });

  it('lets everything else through unchanged', () => {
    const body = { device_info: { name: 'iPhone de Ali', note: 'علي' }, n: 3, ok: null };
    expect(pipe.transform(body, { type: 'body' })).toBe(body);
  });
});

describe('RecordIdPipe', () => {
  const pipe = new RecordIdPipe('id');

  it('takes integers a PostgreSQL integer column holds', () => {
    expect(pipe.transform('1')).toBe(1);
    expect(pipe.transform('2147483647')).toBe(2147483647);
  });

  it.each(['0', '-1', '2147483648', '99999999999999999999', '1.5', '1e3', 'abc', '', ' 1'])(
    'refuses %j with the range in the message',
    (value) => {
      expect(() => pipe.transform(value)).toThrow(/^id must be an integer from 1 to 2147483647/);
    },
  );
});
