import { randomBytes } from 'node:crypto';

/**
 * A console login session. The id travels only in the HttpOnly cookie; the CSRF token is handed to
 * the page (login response, `GET /api/auth/me`) and must come back in `X-CSRF-Token` on every
 * state-changing request, so a request forged from another site (which can make the browser send
 * the cookie but cannot read the token) is refused.
 */
export interface Session {
  /** 256 random bits, base64url. Secret: whoever has it is logged in. */
  id: string;
  username: string;
  /** 256 random bits, base64url, bound to this session only. */
  csrfToken: string;
  /** Epoch ms. */
  createdAt: number;
  /** Epoch ms; moved forward by `touch` (sliding expiry). */
  expiresAt: number;
}

/** A fresh 256-bit random token, base64url (43 characters). Used for session ids and CSRF tokens. */
export function randomToken(): string {
  return randomBytes(32).toString('base64url');
}
