export interface Alert {
  kind: 'capture-stopped' | 'subscriber-disabled' | 'dead-deliveries' | 'dead-letters';
  message: string;
  subscriber_id?: number;
  count?: number;
}

export interface AlertInputs {
  capture: { slot: string; status: string };
  disabled: Array<{ id: number; name: string; disabled_reason: string | null }>;
  dead: Array<{ subscriber_id: number; name: string | null; count: number }>;
  deadLetters: { topic: string; count: number };
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** What needs an operator: capture off its slot, disabled subscribers, dead deliveries and letters. */
export function overviewAlerts({ capture, disabled, dead, deadLetters }: AlertInputs): Alert[] {
  const alerts: Alert[] = [];
  if (capture.status === 'stopped' || capture.status === 'not-found') {
    alerts.push({
      kind: 'capture-stopped',
      message: `capture is not reading slot ${capture.slot}`,
    });
  }
  for (const s of disabled) {
    alerts.push({
      kind: 'subscriber-disabled',
      subscriber_id: s.id,
      message: `subscriber ${s.name} is disabled${s.disabled_reason ? `: ${s.disabled_reason}` : ''}`,
    });
  }
  for (const d of dead) {
    alerts.push({
      kind: 'dead-deliveries',
      subscriber_id: d.subscriber_id,
      count: d.count,
      message: `${plural(d.count, 'dead delivery', 'dead deliveries')} for subscriber ${d.name ?? d.subscriber_id}`,
    });
  }
  if (deadLetters.count > 0) {
    alerts.push({
      kind: 'dead-letters',
      count: deadLetters.count,
      message: `${plural(deadLetters.count, 'event', 'events')} a projection could not apply, on ${deadLetters.topic}`,
    });
  }
  return alerts;
}
