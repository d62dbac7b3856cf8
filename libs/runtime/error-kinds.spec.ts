import { ConfigError } from '@odoo-stream/config';
import { isPermanentError, PermanentError } from './error-kinds';
import { StartupError } from './preflight';

describe('isPermanentError', () => {
  it('retries what waiting mends', () => {
    expect(isPermanentError(new Error('This server does not host this topic-partition'))).toBe(
      false,
    );
    expect(isPermanentError({ name: 'KafkaJSConnectionError', message: 'ECONNREFUSED' })).toBe(
      false,
    );
    expect(isPermanentError({ code: '57P01', message: 'terminating connection' })).toBe(false);
    expect(isPermanentError(new StartupError('slot in use', { retriable: true }))).toBe(false);
  });

  it('stops on credentials, configuration and limits', () => {
    expect(isPermanentError({ code: '28P01' })).toBe(true);
    expect(isPermanentError({ name: 'ResponseError', status: 401 })).toBe(true);
    expect(isPermanentError({ code: '3D000' })).toBe(true);
    expect(isPermanentError({ name: 'KafkaJSSASLAuthenticationError' })).toBe(true);
    expect(isPermanentError({ type: 'TOPIC_AUTHORIZATION_FAILED' })).toBe(true);
    expect(isPermanentError(new ConfigError(['KAFKA_BROKERS is missing']))).toBe(true);
    expect(isPermanentError(new StartupError('no tracked model installed'))).toBe(true);
    expect(isPermanentError(new PermanentError('raise CAPTURE_MAX_TRANSACTION_RECORDS'))).toBe(
      true,
    );
  });
});
