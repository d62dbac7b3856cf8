import { Page } from './cursor';

export interface PagedResponse {
  setHeader(name: string, value: string): void;
}

export interface PagedRequest {
  protocol: string;
  originalUrl: string;
  get(name: string): string | undefined;
}

/**
 * List answers stay a JSON array (as before paging existed); the next page is announced the way
 * GitHub's API does: `Link: <...&cursor=...>; rel="next"`, and `X-Next-Cursor` for scripts.
 */
export function announceNextPage<T>(
  page: Page<T>,
  request: PagedRequest,
  response: PagedResponse,
): T[] {
  if (page.nextCursor) {
    const url = new URL(
      request.originalUrl,
      `${request.protocol}://${request.get('host') ?? 'localhost'}`,
    );
    url.searchParams.set('cursor', page.nextCursor);
    response.setHeader('Link', `<${url.pathname}${url.search}>; rel="next"`);
    response.setHeader('X-Next-Cursor', page.nextCursor);
  }
  return page.items;
}
