import { Admin, Kafka } from 'kafkajs';

/**
 * One admin client, connected on first use and kept; a failed connection is forgotten so the
 * next use tries again (the broker may be back).
 */
export class SharedAdmin {
  private admin?: Promise<Admin>;

  constructor(private readonly kafka: Kafka) {}

  get(): Promise<Admin> {
    if (!this.admin) {
      const admin = this.kafka.admin();
      this.admin = admin.connect().then(() => admin);
      this.admin.catch(() => (this.admin = undefined));
    }
    return this.admin;
  }

  async disconnect(): Promise<void> {
    const admin = await this.admin?.catch(() => undefined);
    this.admin = undefined;
    await admin?.disconnect();
  }
}
