import { timeLabels } from '../logic/format';

/** A time in the browser's zone; UTC on hover. */
export function Time({ at }: { at: string | null | undefined }) {
  if (!at) return <span class="muted">never</span>;
  const { local, utc } = timeLabels(at);
  return (
    <time dateTime={at} title={utc}>
      {local}
    </time>
  );
}
