import type { LeafValue, PathSegment } from '../formats/format.js';
import { type DeclaredSecrets, NO_DECLARED_SECRETS } from './declared-secrets.js';
import { isPlaceholder, plainlyNotSecret } from './plain-values.js';
import { CREDENTIAL_DETECTORS, ENCRYPTED_DETECTORS, hasShape, urlCredentials } from './secret-detectors.js';
import { sensitiveByName } from './secret-names.js';
import type { SensitiveReason } from './snapshot.js';

export { isPlaceholder } from './plain-values.js';
export { isSensitiveName, wordsOf } from './secret-names.js';

/** Whether a value holds a credential by its shape, whatever the key is called. */
export function hasSecretShape(value: string): boolean {
  return hasShape(value, CREDENTIAL_DETECTORS);
}

/** Ansible Vault, SOPS `ENC[…]`, a PGP message or an age file: secret, though not in plain text. */
export function isEncrypted(value: string): boolean {
  return hasShape(value, ENCRYPTED_DETECTORS);
}

/** A value that is one URL with user information: scheme, user, password, the rest. */
const URL_WITH_USERINFO = /^([a-z][a-z0-9+.-]*:\/\/)([^\s:/?#@]*)(?::([^\s/?#@]*))?@(.*)$/is;

/**
 * The URL with its password and a token user name masked (`postgres://app:****@db/app`,
 * `https://****@o1.ingest.sentry.io/2`), or undefined when its user
 * information holds no secret. The rest stays visible and comparable.
 */
export function maskUrlCredentials(value: string): { shown: string; reason: SensitiveReason } | undefined {
  if (!value.includes('@')) return undefined;
  const match = URL_WITH_USERINFO.exec(value);
  if (!match) return undefined;
  const [, scheme = '', user = '', password, rest = ''] = match;
  const masked = urlCredentials(user, password);
  if (!masked) return undefined;
  const passwordPart = masked.password === undefined ? '' : `:${masked.password}`;
  return {
    shown: `${scheme}${masked.user}${passwordPart}@${rest}`,
    reason: password !== undefined && masked.password !== password ? 'url-password' : 'url-token',
  };
}

/** The URL with its password replaced by `****`, or undefined when it carries no secret user information. */
export function maskUrlPassword(value: string): string | undefined {
  return maskUrlCredentials(value)?.shown;
}

export interface Classification {
  readonly sensitive: boolean;
  readonly reason?: SensitiveReason;
  /** What may be shown instead of the value: the URL with its credentials masked. */
  readonly shown?: string;
}

const NOT_SECRET: Classification = { sensitive: false };

/** Embedded documents larger than this are not parsed: hidden if anything else says so, shown otherwise. */
const MAX_EMBEDDED_JSON = 1024 * 1024;
const EMBEDDED_JSON_START = /^\s*[[{]/;

/**
 * Decides whether a leaf is secret, in this order:
 *
 * 1. Kubernetes Secret data (`fromSecretResource`), and keys declared
 *    `secrets.always` in driftwatch.yaml, are secret whatever they hold.
 * 2. No value (null, empty, a boolean) holds no secret.
 * 3. Encrypted values (Ansible Vault, SOPS) are secret, reason `encrypted`:
 *    not plain text, but their ciphertext is not shown either.
 * 4. Placeholders (`${DB_PASSWORD}`) stand for a secret and are shown.
 * 5. A URL with a password or a token user name is shown masked; any other
 *    credential shape anywhere in the value makes it secret.
 * 6. `secrets.never` stops the name-based steps below, not those above.
 * 7. A JSON document inside the value (`SPRING_APPLICATION_JSON`) is secret
 *    when any of its own leaves is.
 * 8. The key's names (see `sensitiveByName`), unless the value plainly is
 *    not a secret (see `plainlyNotSecret`: booleans as strings, durations,
 *    sizes, URLs without credentials, short numbers except under a
 *    password's name).
 */
export function classify(
  path: readonly PathSegment[],
  value: LeafValue,
  fromSecretResource: boolean,
  declared: DeclaredSecrets = NO_DECLARED_SECRETS,
): Classification {
  if (fromSecretResource) return { sensitive: true, reason: 'kubernetes-secret' };
  if (declared.always(path)) return { sensitive: true, reason: 'declared' };
  if (value === null || typeof value === 'boolean' || value === '') return NOT_SECRET;
  if (typeof value === 'string') {
    if (isEncrypted(value)) return { sensitive: true, reason: 'encrypted' };
    if (isPlaceholder(value)) return NOT_SECRET;
    const url = maskUrlCredentials(value);
    // A URL whose query or path still shows a credential once its user information is masked is hidden whole.
    if (url && !hasSecretShape(url.shown)) return { sensitive: true, reason: url.reason, shown: url.shown };
    if (url || hasSecretShape(value)) return { sensitive: true, reason: 'value-shape' };
  }
  if (declared.never(path)) return NOT_SECRET;
  if (typeof value === 'string') {
    const embedded = embeddedJsonReason(value);
    if (embedded) return { sensitive: true, reason: embedded };
  }
  const verdict = sensitiveByName(path);
  if (!verdict || plainlyNotSecret(value, verdict.numeric)) return NOT_SECRET;
  return { sensitive: true, reason: 'key-name' };
}

/** Why a JSON object or array written inside a value holds a secret, classifying its leaves by their own keys. */
function embeddedJsonReason(value: string): SensitiveReason | undefined {
  // Most values are not JSON: look at the first character before trimming anything.
  if (!EMBEDDED_JSON_START.test(value) || value.length > MAX_EMBEDDED_JSON) return undefined;
  const text = value.trim();
  const first = text[0];
  const last = text[text.length - 1];
  if (!((first === '{' && last === '}') || (first === '[' && last === ']'))) return undefined;
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    return undefined;
  }
  const pending: [PathSegment[], unknown][] = [[[], document]];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const [path, node] = next;
    if (Array.isArray(node)) {
      for (const [index, item] of node.entries()) pending.push([[...path, index], item]);
      continue;
    }
    if (node !== null && typeof node === 'object') {
      for (const [key, item] of Object.entries(node)) pending.push([[...path, key], item]);
      continue;
    }
    if (typeof node !== 'string' && typeof node !== 'number' && typeof node !== 'boolean' && node !== null) continue;
    const inner = classify(path, node, false);
    if (inner.sensitive) return inner.reason;
  }
  return undefined;
}
