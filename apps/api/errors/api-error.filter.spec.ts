import { BadRequestException, ServiceUnavailableException } from '@nestjs/common';
import { asClientError } from './api-error.filter';

describe('asClientError', () => {
  it('answers a value PostgreSQL refused as a 400 with its reason', () => {
    const refused = Object.assign(
      new Error('value "99999999999" is out of range for type integer'),
      {
        driverError: { code: '22003' },
      },
    );
    expect(asClientError(refused)).toEqual(
      new BadRequestException(
        'invalid value: value "99999999999" is out of range for type integer',
      ),
    );
  });

  it('answers Kafka being away as a 503 the client may retry', () => {
    const away = Object.assign(new Error('Connection error: connect ECONNREFUSED'), {
      name: 'KafkaJSNumberOfRetriesExceeded',
    });
    expect(asClientError(away)).toBeInstanceOf(ServiceUnavailableException);
  });

  it('leaves anything else alone (a 500 with the details in the log)', () => {
    const bug = new TypeError('x is undefined');
    expect(asClientError(bug)).toBe(bug);
  });
});
