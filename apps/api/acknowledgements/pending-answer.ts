/** What a controller needs of the response to answer for an acknowledgement not applied yet. */
export interface AnswerControls {
  status(code: number): void;
  setHeader(name: string, value: string): void;
}

/** Written, durable, not yet applied by the projector: the answer says which acknowledgement. */
export const PENDING_HEADER = 'X-Acknowledgement-Pending';

/**
 * On the add-on's paths the answer keeps the add-on's status and shape (its clients parse every
 * answer as applied); the header tells clients that care. Our own endpoints answer 202.
 */
export function markPending(res: AnswerControls, ackId: string, status: 200 | 202): void {
  res.setHeader(PENDING_HEADER, ackId);
  if (status === 202) res.status(202);
}

/** For OpenAPI: the header on an answer given before its acknowledgement was applied. */
export const PENDING_HEADER_DOC = {
  [PENDING_HEADER]: {
    description:
      'Present when the write is durable but not applied yet (the projector is slower than API_ACK_WAIT_MS): the acknowledgement id; the body shows the state it will give',
    schema: { type: 'string' },
  },
};
