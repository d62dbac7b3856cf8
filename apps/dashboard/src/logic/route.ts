/** The dashboard's pages; the location hash says which, with its parameters (`#/events?model=sale.order`). */
export const PAGES = [
  'overview',
  'events',
  'event',
  'timeline',
  'subscribers',
  'subscriber',
  'deliveries',
  'delivery',
  'consumers',
  'devices',
  'telegram',
] as const;

export type Page = (typeof PAGES)[number];

export interface Route {
  page: Page;
  params: Record<string, string>;
}

/** The route a location hash names; anything unknown is the overview. */
export function parseRoute(hash: string): Route {
  const [path, query = ''] = hash.replace(/^#\/?/, '').split('?', 2);
  const page = (PAGES as readonly string[]).includes(path) ? (path as Page) : 'overview';
  const params: Record<string, string> = {};
  for (const [key, value] of new URLSearchParams(query)) if (value !== '') params[key] = value;
  return { page, params };
}

/** A query string of the parameters that are set (empty ones left out), without the `?`. */
export function searchOf(params: Record<string, string | number | undefined>): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== '') query.set(key, String(value));
  }
  return query.toString();
}

/** The hash of a page with its parameters (empty ones left out). */
export function routeHref(
  page: Page,
  params: Record<string, string | number | undefined> = {},
): string {
  const search = searchOf(params);
  return `#/${page}${search ? `?${search}` : ''}`;
}
