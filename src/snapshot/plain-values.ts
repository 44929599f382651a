import type { LeafValue } from '../formats/format.js';

/**
 * Values that stand for a secret rather than hold one: `${DB_PASSWORD}`,
 * `{{ .Values.db.password }}`, `<your-token>`, `your appPrivateKey`,
 * `changeme`, the `VALUE` of `KEY=VALUE`. Shown as they are, so that
 * "production still has a placeholder" is visible.
 */
const PLACEHOLDER =
  /^(?:\$\{[^}]+\}|\$[A-Z_][A-Z0-9_]*|\{\{[^}]+\}\}|<[^<>]+>|%\([^)]+\)s|changeme|change-me|xxx+|\*+|REPLACE_?ME|TODO|your[-_ ][\w .-]+)$|^VALUE$/i;

export function isPlaceholder(value: string): boolean {
  return PLACEHOLDER.test(value.trim());
}

const BOOLEAN_WORDS = new Set(['true', 'false', 'yes', 'no', 'on', 'off', 'enabled', 'disabled', 'enable', 'disable']);

/** `"true"`, `off`, `Enabled`: booleans written as strings (dotenv and properties have no other kind). */
export function isBooleanWord(value: string): boolean {
  return BOOLEAN_WORDS.has(value.trim().toLowerCase());
}

/** Values that carry nothing to keep apart: no value, a boolean, a placeholder. */
export function carriesNoValue(value: LeafValue | undefined): boolean {
  if (value === undefined || value === null || typeof value === 'boolean') return true;
  if (typeof value === 'number') return false;
  return value.trim() === '' || isBooleanWord(value) || isPlaceholder(value);
}

const NUMBER = /^[-+]?(?:\d+(?:\.\d*)?|\.\d+)$/;
/** Numbers this long could be a numeric key; shorter ones under a token's name are counts and limits. */
const LONGEST_PLAIN_NUMBER = 12;
/** `30s`, `720h`, `1h30m`, `500ms`, `PT30S`, `P1D`. */
const DURATION =
  /^(?:(?:\d+(?:\.\d+)?(?:ns|us|µs|ms|s|m|h|d|w))+|P(?=\d|T\d)(?:\d+[YMWD])*(?:T(?:\d+(?:\.\d+)?[HMS])+)?)$/i;
/** `10MB`, `512Mi`, `1.5GiB`, `64k`. */
const SIZE = /^\d+(?:\.\d+)?\s?(?:[kmgtp]i?b?|b)$/i;

/**
 * Tokens, keys and session ids are long runs of letters and digits; words,
 * versions and slugs are not. Used where a value may be shown only if nothing
 * in it could be a credential (a URL's path, its user name).
 */
export function looksLikeToken(text: string): boolean {
  return text.length >= 16 && /^[A-Za-z0-9_\-+/=.~%]+$/.test(text) && /\d/.test(text) && /[A-Za-z]/.test(text);
}

/**
 * A URL without credentials: no user name or password, and nothing in its
 * path, query or fragment that looks like a token. A public sign-in URL under
 * `API_BASE_URL_HMPPS_AUTH` is that; a webhook URL ending in its token is not.
 */
export function isUrlWithoutCredentials(text: string): boolean {
  if (!/^[a-z][a-z0-9+.-]*:\/\/[^\s]+$/i.test(text)) return false;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return false;
  }
  if (url.username !== '' || url.password !== '') return false;
  const parts = [...url.pathname.split('/'), ...url.searchParams.values(), url.hash.slice(1)];
  return !parts.some(looksLikeToken);
}

/**
 * Whether a value plainly is not a secret, whatever its key is called. This
 * only overrides a key's *name*: a value shaped like a credential is secret
 * under any name. Exempt: booleans and booleans written as strings (`FF_AUTH_V2:
 * "true"`), durations (`TOKEN_TTL=30s`), sizes, URLs without credentials, and
 * short numbers — except under a password's name, where digits are exactly
 * what a PIN or a weak password is (`DB_PASSWORD=7391`, `password: 123456`).
 * No exemption for words or random strings: `API_TOKEN=9f8e…` stays secret.
 */
export function plainlyNotSecret(value: LeafValue, numericMayBeSecret: boolean): boolean {
  if (carriesNoValue(value)) return true;
  const text = String(value).trim();
  if (NUMBER.test(text)) return !numericMayBeSecret && text.replace(/\D/g, '').length <= LONGEST_PLAIN_NUMBER;
  return DURATION.test(text) || SIZE.test(text) || isUrlWithoutCredentials(text);
}
