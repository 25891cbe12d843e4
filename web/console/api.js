/**
 * The console's calls to `/api`: JSON in and out, the session cookie sent by the browser, the
 * CSRF token (from login or `/api/auth/me`) on every state-changing request.
 */
let csrfToken = '';

export function setCsrf(token) {
  csrfToken = token || '';
}

/** An API error with the catalog's code and details (`err.code === 'TICKET_TAKEN'`). */
export class ApiError extends Error {
  constructor(status, body) {
    super(body?.error?.message || `HTTP ${status}`);
    this.status = status;
    this.code = body?.error?.code;
    this.details = body?.error?.details;
  }
}

export async function api(method, path, body) {
  const headers = { accept: 'application/json' };
  if (method !== 'GET') headers['x-csrf-token'] = csrfToken;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(path, {
    method,
    headers,
    credentials: 'same-origin',
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  const data = text ? JSON.parse(text) : null;
  if (!res.ok) throw new ApiError(res.status, data);
  return data;
}
