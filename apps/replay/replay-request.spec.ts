import { parseReplayRequest, ReplayUsageError } from './replay-request';

describe('parseReplayRequest', () => {
  it('reads a rebuild from earliest', () => {
    expect(parseReplayRequest(['feed', '--to', 'earliest', '--rebuild'])).toEqual({
      projection: 'feed',
      target: { kind: 'earliest' },
      rebuild: true,
      dryRun: false,
    });
  });

  it('reads a time', () => {
    expect(parseReplayRequest(['sync-state', '--to=2026-11-22T08:00:00Z', '--dry-run'])).toEqual({
      projection: 'sync-state',
      target: { kind: 'time', ms: Date.UTC(2026, 10, 22, 8) },
      rebuild: false,
      dryRun: true,
    });
  });

  it.each([
    [[], /name one projection/],
    [['webhooks', '--to', 'earliest'], /unknown projection 'webhooks'/],
    [['feed'], /--to is required/],
    [['feed', '--to', 'yesterday'], /not earliest, latest or an ISO-8601 time/],
    [['feed', '--to', 'latest', '--rebuild'], /use it with --to earliest/],
    [['feed', '--to', 'earliest', '--force'], /Unknown option '--force'/],
  ])('refuses %j', (argv, message) => {
    expect(() => parseReplayRequest(argv)).toThrow(ReplayUsageError);
    expect(() => parseReplayRequest(argv)).toThrow(message);
  });

  it('answers --help', () => {
    expect(parseReplayRequest(['--help'])).toBe('help');
  });
});
