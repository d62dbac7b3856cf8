import pino from 'pino';
import { Writable } from 'node:stream';
import { PinoNestLogger } from './pino-nest-logger';

function capture() {
  const lines: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(JSON.parse(String(chunk)));
      done();
    },
  });
  return { lines, logger: pino({ base: { app: 'projector' } }, stream) };
}

describe('PinoNestLogger', () => {
  it("writes Nest's lines as JSON with the app and the Nest context", () => {
    const { lines, logger } = capture();
    logger.level = 'debug';
    new PinoNestLogger(logger).log('listening for commands', 'CommandBus');
    // Start-up chatter goes to debug: a clean start prints only what a person needs.
    new PinoNestLogger(logger).log('Nest application successfully started', 'NestApplication');
    expect(lines).toEqual([
      expect.objectContaining({
        level: 30,
        app: 'projector',
        context: 'CommandBus',
        msg: 'listening for commands',
      }),
      expect.objectContaining({
        level: 20,
        context: 'NestApplication',
        msg: 'Nest application successfully started',
      }),
    ]);
  });

  it('keeps the stack of an error', () => {
    const { lines, logger } = capture();
    new PinoNestLogger(logger).error('handler failed', 'Error: boom\n    at x', 'ExceptionHandler');
    expect(lines[0]).toMatchObject({
      level: 50,
      context: 'ExceptionHandler',
      stack: 'Error: boom\n    at x',
    });
  });
});
