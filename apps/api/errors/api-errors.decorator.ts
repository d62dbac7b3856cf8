import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import { ApiErrorView } from '../feed/feed-dto';

const MEANINGS: Record<number, string> = {
  400: 'What is wrong with the request; nothing changed',
  401: 'No valid key or token',
  403: 'The token does not allow this',
  404: 'No such record',
  409: 'The request conflicts with the current state',
  429: 'Rate limit reached; Retry-After says when',
  503: 'Kafka or the database is not reachable; retry',
};

/** The error answers a controller gives, all in the `{error, message, timestamp}` shape. */
export function ApiErrors(...statuses: Array<keyof typeof MEANINGS>) {
  return applyDecorators(
    ...statuses.map((status) =>
      ApiResponse({ status, type: ApiErrorView, description: MEANINGS[status] }),
    ),
  );
}
