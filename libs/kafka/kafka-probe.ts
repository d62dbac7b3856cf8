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
  if (/SASL .*authentication failed|Authentication failed/i.test(text)) {
    return 'the broker refused the SASL credentials (check KAFKA_SASL_MECHANISM, KAFKA_SASL_USERNAME, KAFKA_SASL_PASSWORD)';
  }
  if (/self[- ]signed|unable to (verify|get local issuer)|CERT_|certificate/i.test(text)) {
    return `the broker's TLS certificate is not trusted or does not match its address (set KAFKA_SSL_CA_FILE to the CA that signed it): ${text}`;
  }
  if (/wrong version number|EPROTO|before secure TLS connection/i.test(text)) {
    return 'TLS was spoken to a listener without TLS, or the reverse (check KAFKA_SSL and the port)';
  }
  if (/UNSUPPORTED_SASL_MECHANISM|SASL_AUTHENTICATION|IllegalSaslState/i.test(text)) {
    return `the listener does not take this SASL mechanism (KAFKA_SASL_MECHANISM): ${text}`;
  }
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
