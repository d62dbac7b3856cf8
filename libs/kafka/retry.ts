/**
 * Runs `attempt` again while it fails with an error Kafka marks retriable (a topic a moment old
 * that not every part of the broker knows yet, a coordinator still loading), up to a deadline.
 * Any other error, or the last one, is thrown as it is.
 */
export async function retryRetriable<T>(attempt: () => Promise<T>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (let delay = 100; ; delay = Math.min(delay * 2, 1000)) {
    try {
      return await attempt();
    } catch (error) {
      if (!(error as { retriable?: boolean }).retriable || Date.now() + delay > deadline)
        throw error;
      await new Promise((r) => setTimeout(r, delay));
    }
  }
}

/** Exponential backoff with jitter: about base * 2^failures, at most maxMs. */
export function backoffMs(failures: number, baseMs = 200, maxMs = 10_000): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.min(failures, 20));
  return Math.round(ceiling / 2 + (Math.random() * ceiling) / 2);
}
