import { createHash } from 'node:crypto';

/**
 * The same change always gets the same id: commit LSN, table and record id identify it, so a
 * change read again after a crash carries the id it had. 32 hex digits (128 bits).
 */
export function eventId(lsn: string, table: string, recordId: number): string {
  return createHash('sha256').update(`${lsn}|${table}|${recordId}`).digest('hex').slice(0, 32);
}
