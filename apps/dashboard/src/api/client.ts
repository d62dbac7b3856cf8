/** What the api answered when it refused: its status and message (`{error, message}`). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** Told when the session ends (a 401): the app shows the sign-in page. */
let onSignedOut: () => void = () => undefined;
export function whenSignedOut(listener: () => void): void {
  onSignedOut = listener;
}

/**
 * Calls the api with the session cookie. Requests that change something carry the dashboard's
 * header, which the api requires of them (a cross-site page cannot send it).
 */
export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (method !== 'GET') headers['X-Odoo-Stream-Dashboard'] = '1';
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, 'the odoo-stream api did not answer (is it running?)');
  }
  const text = await response.text();
  const data = text ? safeJson(text) : undefined;
  if (!response.ok) {
    const message =
      (data as { message?: string } | undefined)?.message ?? `the api answered ${response.status}`;
    if (response.status === 401 && !path.startsWith('/api/session')) onSignedOut();
    throw new ApiError(response.status, message);
  }
  return data as T;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return { message: text.slice(0, 300) };
  }
}

export interface Paged<T> {
  data: T[];
  has_more: boolean;
  next_cursor: string | null;
}
