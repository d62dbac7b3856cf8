export const REPLAY_TARGETS = {
  to_datetime: 'To a time',
  by_duration: 'A duration back (ISO 8601, e.g. PT30M)',
  shift_by: 'Shift by a number of events (e.g. -100)',
  to_earliest: 'To the earliest event',
  to_latest: 'To the latest (skip everything)',
} as const;

export type ReplayTarget = keyof typeof REPLAY_TARGETS;

export interface ReplayForm {
  consumer: string;
  target: ReplayTarget;
  /** The time (a datetime-local value, in the browser's zone), duration or shift; unused otherwise. */
  value: string;
  model: string;
  reason: string;
}

export type ReplayBody = Record<string, string | boolean>;

/** The body of POST /api/replays for a form, or what is missing (before anything is sent). */
export function replayRequest(
  form: ReplayForm,
  execute: boolean,
): { body: ReplayBody } | { error: string } {
  if (!form.consumer) return { error: 'choose a consumer' };
  const body: ReplayBody = { consumer: form.consumer };
  const value = form.value.trim();
  switch (form.target) {
    case 'to_earliest':
    case 'to_latest':
      body[form.target] = true;
      break;
    case 'to_datetime': {
      const at = new Date(value);
      if (!value || Number.isNaN(at.getTime())) return { error: 'give the time to replay from' };
      body.to_datetime = at.toISOString();
      break;
    }
    case 'by_duration':
      if (!value) return { error: 'give a duration, e.g. PT30M' };
      body.by_duration = value;
      break;
    case 'shift_by':
      if (!/^[+-]?\d+$/.test(value)) return { error: 'give a whole number of events, e.g. -100' };
      body.shift_by = value;
      break;
  }
  if (form.model.trim()) body.model = form.model.trim();
  if (form.reason.trim()) body.reason = form.reason.trim();
  if (execute) body.execute = true;
  return { body };
}
