/** A refusal or failure, read out by screen readers as it appears. */
export function AlertLine({ message }: { message?: string }) {
  if (!message) return null;
  return (
    <p class="form-error" role="alert">
      {message}
    </p>
  );
}
