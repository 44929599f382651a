import type { LeafValue, PathSegment } from '../formats/format.js';
import type { SensitiveReason } from './snapshot.js';

/**
 * Words that make a key name sensitive when they appear as a word of its last
 * segment (`db.password`, `GLOBAL_OAUTH_CLIENT_SECRET`, `apiKey`, `private-key`).
 * Matching whole words keeps `monkey`, `keyboard` or `tokenizer_mode` out.
 */
const SENSITIVE_WORDS = new Set([
  'password',
  'passwd',
  'pwd',
  'pass',
  'passphrase',
  'secret',
  'secrets',
  'token',
  'tokens',
  'key',
  'apikey',
  'credential',
  'credentials',
  'private',
  'privatekey',
  'auth',
  'signature',
  'salt',
  'pepper',
  'dsn',
  'cert',
  'pem',
]);

/** Words that, next to a sensitive word, describe a setting rather than hold a secret: `token_ttl`, `password_min_length`. */
const DESCRIPTIVE_WORDS = new Set([
  'ttl',
  'expiry',
  'expires',
  'expiration',
  'timeout',
  'length',
  'min',
  'max',
  'enabled',
  'disabled',
  'enable',
  'required',
  'header',
  'name',
  'names',
  'file',
  'path',
  'dir',
  'url',
  'endpoint',
  'type',
  'algorithm',
  'prefix',
  'field',
  'id',
  'policy',
  'rotation',
  'lifetime',
  'age',
  'size',
  'count',
  'mode',
  'store',
  'ref',
  'version',
]);

/** Splits `clientSecret`, `CLIENT_SECRET`, `client-secret`, `client.secret` into lower-case words. */
export function wordsOf(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((word) => word !== '');
}

export function isSensitiveName(name: string): boolean {
  const words = wordsOf(name);
  if (!words.some((word) => SENSITIVE_WORDS.has(word))) return false;
  // `password_min_length` configures a password; `db_password` is one.
  const last = words[words.length - 1] as string;
  return !DESCRIPTIVE_WORDS.has(last);
}

/** Shapes of values that are secrets whatever the key is called. */
const SECRET_SHAPES: readonly RegExp[] = [
  /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/,
  /-----BEGIN (?:CERTIFICATE|PGP PRIVATE KEY BLOCK|OPENSSH PRIVATE KEY)-----/,
  /\bgh[pousr]_[A-Za-z0-9]{30,}\b/, // GitHub tokens
  /\bgithub_pat_[A-Za-z0-9_]{40,}\b/,
  /\bxox[abposr]-[A-Za-z0-9-]{10,}\b/, // Slack tokens
  /\bhooks\.slack\.com\/services\/T[A-Z0-9]+\/B[A-Z0-9]+\/[A-Za-z0-9]+/,
  /\b(?:sk|rk|pk)_(?:live|test)_[A-Za-z0-9]{16,}\b/, // Stripe
  /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/, // AWS access key id
  /\bAIza[0-9A-Za-z_-]{35}\b/, // Google API key
  /\bglpat-[A-Za-z0-9_-]{20,}\b/, // GitLab
  /\bnpm_[A-Za-z0-9]{36}\b/,
  /\bSG\.[A-Za-z0-9_-]{16,}\.[A-Za-z0-9_-]{16,}\b/, // SendGrid
  /\bsk-(?:proj-)?[A-Za-z0-9_-]{32,}\b/, // OpenAI-style keys
  /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/, // JWT
  /[?&;](?:password|passwd|pwd|secret|token|api[_-]?key|access[_-]?key|sig)=[^&;\s]+/i, // credentials in a query string
];

export function hasSecretShape(value: string): boolean {
  return SECRET_SHAPES.some((shape) => shape.test(value));
}

/** `scheme://user:password@host...`: the password part, when there is one. */
const URL_WITH_PASSWORD = /^([a-z][a-z0-9+.-]*:\/\/[^:/?#@\s]*:)([^@/?#\s]+)(@.*)$/i;

/** The URL with its password replaced by `****`, or undefined when it carries no password. */
export function maskUrlPassword(value: string): string | undefined {
  const match = URL_WITH_PASSWORD.exec(value);
  if (!match) return undefined;
  return `${match[1]}****${match[3]}`;
}

/**
 * Values that stand for a secret rather than hold one: `${DB_PASSWORD}`,
 * `{{ .Values.db.password }}`, `<your-token>`, `changeme`. Shown as they are,
 * so that "production still has a placeholder" is visible.
 */
const PLACEHOLDER =
  /^(?:\$\{[^}]+\}|\$[A-Z_][A-Z0-9_]*|\{\{[^}]+\}\}|<[^<>]+>|%\([^)]+\)s|changeme|change-me|xxx+|\*+|REPLACE_?ME|TODO)$/i;

export function isPlaceholder(value: string): boolean {
  return PLACEHOLDER.test(value.trim());
}

export interface Classification {
  readonly sensitive: boolean;
  readonly reason?: SensitiveReason;
  /** What may be shown instead of the value: the URL with its password masked. */
  readonly shown?: string;
}

/**
 * Decides whether a leaf is secret. `fromSecretResource` is set by formats
 * that know (Kubernetes Secret data). Booleans, nulls and empty values carry no
 * secret whatever the key is called (`auth.enabled: true`).
 */
export function classify(path: readonly PathSegment[], value: LeafValue, fromSecretResource: boolean): Classification {
  if (fromSecretResource) return { sensitive: true, reason: 'kubernetes-secret' };
  if (value === null || typeof value === 'boolean' || value === '') return { sensitive: false };
  const text = String(value);
  if (isPlaceholder(text)) return { sensitive: false };
  const masked = maskUrlPassword(text);
  if (masked !== undefined) return { sensitive: true, reason: 'url-password', shown: masked };
  if (hasSecretShape(text)) return { sensitive: true, reason: 'value-shape' };
  const name = [...path].reverse().find((segment): segment is string => typeof segment === 'string');
  if (name !== undefined && isSensitiveName(name)) return { sensitive: true, reason: 'key-name' };
  return { sensitive: false };
}
