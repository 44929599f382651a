import type { PathSegment } from '../formats/format.js';

/**
 * Words for which a short number is a plausible secret: a PIN, `password:
 * 123456`. Under the other words (`confirmToken: 15`, `API_KEY_RETRIES: 3`)
 * a short number is a count or a limit.
 */
const NUMERIC_SECRET_WORDS = new Set([
  'password',
  'passwords',
  'passwd',
  'pwd',
  'pw',
  'pass',
  'passphrase',
  'secret',
  'secrets',
  'credential',
  'credentials',
]);

/**
 * Sensitive words that make everything below them secret too: `password:
 * {admin: …}`, `secrets.stripe`, `passwords[0]`, `keys.signing`. Broader words
 * (`auth`, `private`, `signature`) name a setting's topic as often as a
 * secret (`auth.issuer`, `private.network`), so they decide only for the key
 * they end.
 */
const INHERITED_WORDS = new Set([
  ...NUMERIC_SECRET_WORDS,
  'token',
  'tokens',
  'key',
  'keys',
  'apikey',
  'apikeys',
  'privatekey',
]);

/**
 * Words that make a name sensitive when they appear as a word of it
 * (`db.password`, `GLOBAL_OAUTH_CLIENT_SECRET`, `apiKey`, `SMTP_PW`). Matching
 * whole words keeps `monkey`, `keyboard` or `tokenizer_mode` out. Certificates
 * (`cert`, `pem`) are public by design and are not here: a private key is
 * caught by its name (`private`, `key`) or by its PEM shape.
 */
const SENSITIVE_WORDS = new Set([...INHERITED_WORDS, 'private', 'auth', 'signature', 'salt', 'pepper', 'dsn']);

/**
 * Any sensitive word anywhere in a lower-cased name. A name's words are all
 * parts of its lower-cased text, so a name this does not match has no
 * sensitive word: most names are ruled out without being split into words.
 */
const MENTIONS_SENSITIVE_WORD = new RegExp([...SENSITIVE_WORDS].join('|'));

/** Words that, at the end of a name, describe a setting rather than hold a secret: `token_ttl`, `password_min_length`. */
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
  'head',
  'name',
  'names',
  'file',
  'path',
  'dir',
  'url',
  'uri',
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
  'version',
  'method',
  'methods',
  'limit',
  'attempts',
  'retries',
  'interval',
  'duration',
  'hours',
  'minutes',
  'seconds',
  'days',
  'format',
  'issuer',
  'audience',
  'scope',
  'scopes',
]);

/**
 * Words that, at the end of a name, make it a reference to a secret kept
 * elsewhere: `valueFrom`, `secretKeyRef`, `envFrom[0].secretRef`. What is
 * below them says where a secret is (`secretKeyRef.key: DATABASE_URL`), not
 * what it is.
 */
const REFERENCE_WORDS = new Set(['ref', 'refs', 'reference', 'references', 'from']);

/** Words before `key` that make it a key meant to be published: `publicKey`, `STRIPE_PUBLISHABLE_KEY`, reCAPTCHA's `siteKey`. */
const PUBLIC_QUALIFIERS = new Set(['public', 'publishable', 'site']);

/** Splits `clientSecret`, `CLIENT_SECRET`, `client-secret`, `client.secret` into lower-case words. */
export function wordsOf(name: string): string[] {
  // Most names are in one case (`DB_PASSWORD`, `client_secret`): no boundary for the two replacements to mark.
  const separated = CASE_BOUNDARY.test(name)
    ? name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    : name;
  return separated
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((word) => word !== '');
}

/** Where either replacement in wordsOf would insert a space: `aB`, `1B`, `ABc`. */
const CASE_BOUNDARY = /[a-z0-9][A-Z]|[A-Z]{2}[a-z]/;

/** Longer names are phrases that mention secrets (`sync-token-secrets-to-k8s`), not containers of them. */
const MAX_CONTAINER_WORDS = 3;

type NameKind =
  | {
      readonly kind: 'sensitive';
      /** Whether the name passes sensitivity down to what is below it, and how. */
      readonly inherited: 'all' | 'maps' | 'none';
      readonly numeric: boolean;
    }
  | { readonly kind: 'descriptive' | 'reference' | 'neutral' };

const NEUTRAL: NameKind = { kind: 'neutral' };

/**
 * The segments of nested keys repeat across a snapshot (`value`, `env`,
 * `helmValues`): each is judged once. Flat keys (dotenv) are nearly all
 * different and are judged directly; the cache is bounded, and starts over
 * when full.
 */
const kindCache = new Map<string, NameKind>();
const KIND_CACHE_LIMIT = 20_000;

/** What one name (a path segment) says about the value it holds. */
function kindOfName(name: string): NameKind {
  const cached = kindCache.get(name);
  if (cached) return cached;
  const kind = judgeName(name);
  if (kindCache.size >= KIND_CACHE_LIMIT) kindCache.clear();
  kindCache.set(name, kind);
  return kind;
}

function judgeName(name: string): NameKind {
  const words = wordsOf(name);
  const last = words[words.length - 1];
  if (last === undefined) return NEUTRAL;
  if (REFERENCE_WORDS.has(last)) return { kind: 'reference' };
  if (DESCRIPTIVE_WORDS.has(last)) return { kind: 'descriptive' };
  let numeric = false;
  let first = -1;
  for (const [index, word] of words.entries()) {
    if (!SENSITIVE_WORDS.has(word)) continue;
    if ((word === 'key' || word === 'keys') && PUBLIC_QUALIFIERS.has(words[index - 1] ?? '')) continue;
    if (first < 0) first = index;
    numeric ||= NUMERIC_SECRET_WORDS.has(word);
  }
  if (first < 0) return NEUTRAL;
  // `setPasswordPerUserPerHour`, `tokens_per_second`: a rate about the secret, not the secret.
  if (words.indexOf('per', first) > first) return { kind: 'descriptive' };
  return { kind: 'sensitive', inherited: inheritance(words, last), numeric };
}

/**
 * A name passes sensitivity down when it names a container of secrets: it
 * ends with a secret word and is short (`passwords`, `secrets`, `api_keys`,
 * `client_secret`). A bare `key:` block names lookup keys as often as keys
 * (`redis.key.admin: 'ums:admin'`), and a bare `keys` list names fields
 * (`unmasked_headers.keys: [x-request-id]`), so `keys` passes it only to map
 * entries (`keys.signing`).
 */
function inheritance(words: readonly string[], last: string): 'all' | 'maps' | 'none' {
  if (!INHERITED_WORDS.has(last) || words.length > MAX_CONTAINER_WORDS) return 'none';
  if (words.length > 1) return 'all';
  if (last === 'key') return 'none';
  return last === 'keys' ? 'maps' : 'all';
}

/** Whether a name alone says its value is a secret: `db_password` yes, `password_min_length` no. */
export function isSensitiveName(name: string): boolean {
  return kindOfName(name).kind === 'sensitive';
}

/** Why a key path is secret by name, or undefined when its names do not say so. */
export interface NameVerdict {
  /** The segment whose name decided. */
  readonly name: string;
  /** Whether a short number is a plausible value of it (a PIN under `password`). */
  readonly numeric: boolean;
}

/**
 * Whether a key path is secret by its names. The key's own name decides
 * first (`db.password`, `db.password_min_length`); a name-and-value pair
 * (`env.DB_PASSWORD.value`, Kubernetes env vars and their Helm copies) is
 * judged by its name, as a dotenv key would be. Otherwise sensitivity is
 * inherited from the nearest ancestor that speaks: `password.admin`,
 * `secrets.stripe.live`, `passwords[0]` are secret, while a descriptive name
 * on the way (`password.policy.min_length`) or a reference
 * (`DB_PASSWORD.valueFrom.secretKeyRef.key`) stops it.
 */
export function sensitiveByName(path: readonly PathSegment[]): NameVerdict | undefined {
  // Indexes into `path`, not a filtered copy: this runs for every value of every snapshot.
  const last = path.length - 1;
  if (last === 0 && typeof path[0] === 'string') {
    // One name, nearly always different (dotenv): only whether it is sensitive matters, and most are not.
    if (!MENTIONS_SENSITIVE_WORD.test(path[0].toLowerCase())) return undefined;
    const kind = judgeName(path[0]);
    return kind.kind === 'sensitive' ? { name: path[0], numeric: kind.numeric } : undefined;
  }
  // From `own` on, the names are the key's own; a list item (`passwords[0]`) has none, only ancestors.
  let own = typeof path[last] === 'string' ? last : path.length;
  // `{name: DB_PASSWORD, value: …}`: `value` says nothing, its name does.
  if (own === last && isValueName(path[last])) {
    const pairName = previousName(path, last);
    if (pairName >= 0) own = pairName;
  }
  const parent = previousName(path, Math.min(own, path.length));
  if (parent >= 0 && kindOfName(path[parent] as string).kind === 'reference') return undefined;
  for (let index = last; index >= 0; index--) {
    const name = path[index];
    if (typeof name !== 'string') continue;
    const kind = kindOfName(name);
    if (kind.kind === 'descriptive' || kind.kind === 'reference') return undefined;
    if (kind.kind !== 'sensitive') continue;
    // `keys` passes sensitivity to map entries only (`keys.signing`), not to list items (`keys[0]`).
    const inherits = kind.inherited === 'all' || (kind.inherited === 'maps' && typeof path[index + 1] === 'string');
    if (index >= own || inherits) return { name, numeric: kind.numeric };
  }
  return undefined;
}

function isValueName(segment: PathSegment | undefined): boolean {
  return segment === 'value' || segment === 'Value' || segment === 'VALUE';
}

/** The index of the last string segment before `index`, or -1. */
function previousName(path: readonly PathSegment[], index: number): number {
  for (let at = index - 1; at >= 0; at--) if (typeof path[at] === 'string') return at;
  return -1;
}
