import { Consumer } from 'kafkajs';
import { Logger } from 'pino';

/**
 * kafkajs restarts a crashed consumer only after errors it deems retriable; after any other
 * (a handler's error, a request refused) the consumer stays stopped and its group's lag grows
 * silently. `replace` is called then, so the owner starts a new consumer in its place.
 */
export function whenConsumerStops(
  consumer: Consumer,
  logger: Logger,
  what: string,
  replace: (error: Error) => void,
): void {
  consumer.on(consumer.events.CRASH, ({ payload }) => {
    const { error, groupId, restart } = payload;
    if (restart) {
      logger.warn(
        { err: error, group: groupId },
        `${what}: consumer restarting after: ${error.message}`,
      );
      return;
    }
    logger.warn(
      { err: error, group: groupId },
      `${what}: consumer stopped on: ${error.message}; starting a new one`,
    );
    replace(error);
  });
}
