import { AppConfig, brokerAddresses } from '@odoo-stream/config';
import { createKafkaClient } from './kafka-client';

export interface KafkaProbeResult {
  ok: boolean;
  /** One line naming the problem, when not ok. */
  problem?: string;
  brokers?: number;
  clusterId?: string;
}

/** Connects once and describes the cluster; answers with a plain-words problem instead of throwing. */
export async function probeKafka(config: Pick<AppConfig, 'kafka'>): Promise<KafkaProbeResult> {
  const admin = createKafkaClient(config, { retries: 1 }).admin();
  const where = brokerAddresses(config).join(',');
  try {
    await admin.connect();
    const cluster = await admin.describeCluster();
    return { ok: true, brokers: cluster.brokers.length, clusterId: cluster.clusterId };
  } catch (error) {
    return {
      ok: false,
      problem: `Kafka at ${where} is not reachable: ${describeKafkaError(error)}`,
    };
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

function describeKafkaError(error: unknown): string {
  const text = errorChain(error);
  if (/ENOTFOUND|EAI_AGAIN|getaddrinfo/.test(text)) return 'the broker host name does not resolve';
  if (/ECONNREFUSED/.test(text)) return 'connection refused (is the broker running on that port?)';
  if (/timed? ?out|ETIMEDOUT/i.test(text)) return 'the connection timed out';
  return text;
}

function errorChain(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  while (current instanceof Error && parts.length < 5) {
    parts.push(current.message);
    current =
      (current as Error & { originalError?: unknown; cause?: unknown }).originalError ??
      (current as Error & { cause?: unknown }).cause;
  }
  return parts.join(': ') || String(error);
}
