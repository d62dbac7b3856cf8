import { EventEmitter } from 'node:events';

/**
 * A running app that cannot go on (its replication connection died, Kafka refused a send) reports
 * here instead of exiting itself: the runner stops every app it hosts in order, then exits 1, and
 * a restart resumes from the last durable position.
 */
const fatal = new EventEmitter();

export function reportFatal(app: string, error: Error): void {
  fatal.emit('fatal', app, error);
}

export function onFatal(listener: (app: string, error: Error) => void): void {
  fatal.once('fatal', listener);
}
