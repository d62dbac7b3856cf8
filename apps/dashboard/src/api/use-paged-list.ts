import { useState } from 'preact/hooks';
import { searchOf } from '../logic/route';
import { Paged } from './client';
import { useApi } from './use-api';

/**
 * One keyset-paged list endpoint with its filters: the cursors of the pages seen so far (for the
 * Pager), and `restart` to go back to the first page when the filters change.
 */
export function usePagedList<T>(
  path: string,
  filters: Record<string, string | number | undefined>,
  everyMs?: number,
) {
  const [cursors, setCursors] = useState<string[]>([]);
  const search = searchOf({ ...filters, cursor: cursors.at(-1) });
  const loaded = useApi<Paged<T>>(`${path}${search ? `?${search}` : ''}`, everyMs);
  return { ...loaded, cursors, setCursors, restart: () => setCursors([]) };
}
