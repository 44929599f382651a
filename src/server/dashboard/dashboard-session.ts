import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export const SESSION_COOKIE = 'driftwatch_session';
/** A login lasts a working day. */
export const SESSION_TTL_MS = 12 * 3_600_000;

/**
 * Whether `given` is the token, in time that does not depend on where they
 * differ or how long either is: both are hashed to one length first.
 */
export function isDashboardToken(given: string, token: string): boolean {
  const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();
  return timingSafeEqual(digest(given), digest(token));
}

/**
 * A session cookie's value: its expiry and an HMAC of it keyed by the token.
 * It holds nothing secret, any replica given the same token can check it, and
 * changing the token ends every session.
 */
export function createSession(token: string, now: Date): string {
  const expires = now.getTime() + SESSION_TTL_MS;
  return `${expires}.${sessionMac(token, expires)}`;
}

/** The cookie's value is one `createSession` made with this token, and it has not expired. */
export function isValidSession(value: string | undefined, token: string, now: Date): boolean {
  if (value === undefined) return false;
  const match = /^(\d{1,15})\.([A-Za-z0-9_-]{43})$/.exec(value);
  if (match === null) return false;
  const expires = Number(match[1]);
  if (expires <= now.getTime()) return false;
  const expected = Buffer.from(sessionMac(token, expires), 'utf8');
  const given = Buffer.from(match[2] as string, 'utf8');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

function sessionMac(token: string, expires: number): string {
  return createHmac('sha256', token).update(`driftwatch dashboard session until ${expires}`).digest('base64url');
}
