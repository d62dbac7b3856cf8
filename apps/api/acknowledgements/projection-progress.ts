import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Written } from './stream-publisher';

const POLL_MS = 20;

/** Read-your-writes for acknowledgements: waits until the projection has applied one. */
@Injectable()
export class ProjectionProgress {
  constructor(private readonly dataSource: DataSource) {}

  /** True once applied; false when `timeoutMs` passed first (the caller answers 202). */
  async waitFor(written: Written, timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const rows: Array<{ next_offset: string }> = await this.dataSource.query(
        `SELECT next_offset FROM projection_position
         WHERE projection = $1 AND topic = $2 AND partition = $3`,
        [written.projection, written.topic, written.partition],
      );
      if (rows[0] && BigInt(rows[0].next_offset) > written.offset) return true;
      if (Date.now() >= deadline) return false;
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }
}
