/** "Newer"/"Older" through keyset pages: the cursors of the pages seen so far. */
export function Pager({
  cursors,
  next,
  onChange,
}: {
  cursors: string[];
  next: string | null | undefined;
  onChange: (cursors: string[]) => void;
}) {
  return (
    <nav class="pager" aria-label="pages">
      <button
        class="secondary"
        disabled={cursors.length === 0}
        onClick={() => onChange(cursors.slice(0, -1))}
      >
        ← Newer
      </button>
      <span class="muted">page {cursors.length + 1}</span>
      <button
        class="secondary"
        disabled={!next}
        onClick={() => next && onChange([...cursors, next])}
      >
        Older →
      </button>
    </nav>
  );
}
