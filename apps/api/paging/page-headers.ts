import { Type } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { Page } from './cursor';

export interface PagedResponse {
  setHeader(name: string, value: string): void;
}

export interface PagedRequest {
  protocol: string;
  originalUrl: string;
  get(name: string): string | undefined;
}

/** Every list answer: one page in `data`, and where the next one starts. */
export interface PagedAnswer<T> {
  success: true;
  data: T[];
  count: number;
  has_more: boolean;
  next_cursor: string | null;
  timestamp: string;
}

/**
 * One page in the list envelope; the next page is also announced the way GitHub's API does
 * (`Link: <...&cursor=...>; rel="next"`, and `X-Next-Cursor`), for tools that follow links.
 */
export function pagedAnswer<T>(
  page: Page<T>,
  request: PagedRequest,
  response: PagedResponse,
): PagedAnswer<T> {
  if (page.nextCursor) {
    const url = new URL(
      request.originalUrl,
      `${request.protocol}://${request.get('host') ?? 'localhost'}`,
    );
    url.searchParams.set('cursor', page.nextCursor);
    response.setHeader('Link', `<${url.pathname}${url.search}>; rel="next"`);
    response.setHeader('X-Next-Cursor', page.nextCursor);
  }
  return {
    success: true,
    data: page.items,
    count: page.items.length,
    has_more: page.nextCursor !== null,
    next_cursor: page.nextCursor,
    timestamp: new Date().toISOString(),
  };
}

/** The OpenAPI schema of a list answer of `item`s, named `name`. */
export function PagedView<T>(item: Type<T>, name: string): Type<PagedAnswer<T>> {
  class Paged {
    @ApiProperty() success: true;
    @ApiProperty({ type: [item] }) data: T[];
    @ApiProperty({ description: 'Items in this page' }) count: number;
    @ApiProperty({ description: 'A next page exists' }) has_more: boolean;
    @ApiProperty({
      nullable: true,
      type: String,
      description: 'Pass as cursor to get the next page (also in X-Next-Cursor); null on the last',
    })
    next_cursor: string | null;
    @ApiProperty() timestamp: string;
  }
  Object.defineProperty(Paged, 'name', { value: name });
  return Paged as Type<PagedAnswer<T>>;
}
