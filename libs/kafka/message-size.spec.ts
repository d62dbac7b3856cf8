import { chunkByBytes, isSizeError, recordBudget, recordBytes } from './message-size';

describe('message sizes', () => {
  it('counts key, value and headers of a record', () => {
    const bare = recordBytes({ key: null, value: null });
    expect(recordBytes({ key: 'k', value: 'x'.repeat(1000) })).toBe(bare + 1001);
    expect(recordBytes({ key: null, value: 'é', headers: { h: 'v' } })).toBeGreaterThan(bare + 2);
  });

  it('groups items in order without passing the budget; an oversized one stands alone', () => {
    const sizes = [40, 40, 30, 100, 10, 10];
    const chunks = chunkByBytes(sizes, (n) => n, 80);
    expect(chunks).toEqual([[40, 40], [30], [100], [10, 10]]);
    expect(chunks.flat()).toEqual(sizes);
  });

  it('keeps room for the batch header under max.message.bytes', () => {
    expect(recordBudget(1_048_588)).toBeLessThan(1_048_588);
    expect(recordBudget(65_536)).toBeGreaterThan(60_000);
  });

  it("recognises the broker's size refusals, also when kafkajs wrapped them", () => {
    expect(isSizeError({ type: 'MESSAGE_TOO_LARGE' })).toBe(true);
    expect(
      isSizeError({
        name: 'KafkaJSNumberOfRetriesExceeded',
        cause: { type: 'RECORD_LIST_TOO_LARGE' },
      }),
    ).toBe(true);
    expect(
      isSizeError(
        new Error(
          'The request included a message larger than the max message size the server will accept',
        ),
      ),
    ).toBe(true);
    expect(isSizeError({ type: 'NOT_LEADER_FOR_PARTITION' })).toBe(false);
  });
});
