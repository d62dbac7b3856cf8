import { randomUUID } from 'node:crypto';
import { Admin } from 'kafkajs';
import { ControlChannel } from '@odoo-stream/kafka';
import { ReplayRefused } from './replay-target';

/** How long a pause holds without renewal: a command killed half-way releases it by then. */
export const PAUSE_LEASE_MS = 90_000;
const RENEW_EVERY_MS = 30_000;

/**
 * A consumer's instances paused through the control topic, held until released. Taking it waits
 * until every member has left the group; a member that stays (a version without the control
 * topic, or one that is stuck) makes it refuse, naming the members, after resuming the others.
 */
export class ConsumerPause {
  private renewal?: NodeJS.Timeout;

  private constructor(
    private readonly control: ControlChannel,
    readonly group: string,
    readonly id: string,
    private readonly by: string,
  ) {}

  static async take(
    control: ControlChannel,
    admin: Admin,
    group: string,
    by: string,
    leaveTimeoutMs = 20_000,
  ): Promise<ConsumerPause> {
    const pause = new ConsumerPause(control, group, randomUUID(), by);
    await pause.send();
    pause.renewal = setInterval(() => void pause.send().catch(() => undefined), RENEW_EVERY_MS);
    pause.renewal.unref();
    const deadline = Date.now() + leaveTimeoutMs;
    for (;;) {
      const [described] = (await admin.describeGroups([group])).groups;
      const members = described?.members ?? [];
      if (members.length === 0) return pause;
      if (Date.now() > deadline) {
        await pause.release();
        const names = members
          .map((m) => `${m.clientId}@${m.clientHost.replace(/^\//, '')} (${m.memberId})`)
          .join(', ');
        throw new ReplayRefused(
          `${members.length} member(s) of ${group} did not leave when asked to pause: ${names}. They run a version without pause commands or are stuck; stop them and try again (nothing was changed)`,
          true,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }

  /** The instances join the group again, from its committed offsets. */
  async release(): Promise<void> {
    clearInterval(this.renewal);
    await this.control.send({
      type: 'resume',
      id: this.id,
      group: this.group,
      at: new Date().toISOString(),
    });
  }

  private send(): Promise<void> {
    return this.control.send({
      type: 'pause',
      id: this.id,
      group: this.group,
      until: new Date(Date.now() + PAUSE_LEASE_MS).toISOString(),
      by: this.by,
      at: new Date().toISOString(),
    });
  }
}
