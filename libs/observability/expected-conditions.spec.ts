import { kafkaLevel, nestLevel } from './expected-conditions';

describe('what a clean start keeps at debug', () => {
  it("moves Nest's route and module lines and the shared data source name to debug", () => {
    expect(nestLevel('info', 'RouterExplorer', 'Mapped {/api/consumers, GET} route')).toBe('debug');
    expect(nestLevel('info', 'InstanceLoader', 'ApiModule dependencies initialized')).toBe('debug');
    expect(
      nestLevel(
        'warn',
        'DataSourceNameRegistry',
        'A data source with the default name is already registered. Multiple data sources ...',
      ),
    ).toBe('debug');
    expect(nestLevel('warn', 'DataSourceNameRegistry', 'something else')).toBe('warn');
    expect(nestLevel('error', 'ExceptionsHandler', 'boom')).toBe('error');
  });

  it("moves kafkajs's retried broker answers to debug and keeps real errors", () => {
    expect(
      kafkaLevel(
        'error',
        'Response InitProducerId(key: 22, version: 1)',
        "The coordinator is loading and hence can't process requests for this group",
      ),
    ).toBe('debug');
    expect(kafkaLevel('error', 'Topic creation errors')).toBe('debug');
    expect(
      kafkaLevel('error', 'Response Metadata', 'This server does not host this topic-partition'),
    ).toBe('debug');
    expect(kafkaLevel('error', 'Connection error: connect ECONNREFUSED 127.0.0.1:9092')).toBe(
      'error',
    );
    // kafkajs passes some broker errors as Error objects, not their message.
    expect(
      kafkaLevel(
        'error',
        'Error when fetching offsets',
        new Error('This server does not host this topic-partition'),
      ),
    ).toBe('debug');
    expect(kafkaLevel('error', 'Connection error: write after end')).toBe('debug');
    expect(kafkaLevel('info', 'Starting')).toBe('info');
  });
});
