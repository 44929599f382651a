import { isPlaceholder, looksLikeToken, plainlyNotSecret } from './plain-values.js';
import { sensitiveByName } from './secret-names.js';

/**
 * What a credential looks like inside any text: a value, a command's stderr,
 * an HTTP error page. The same detectors decide that a value is secret
 * (sensitive.ts) and mask secrets in error texts (scrub.ts), so a token shape
 * learnt once is caught everywhere.
 */
export interface SecretDetector {
  readonly id: string;
  /** Global: finds candidates anywhere in a text. */
  readonly pattern: RegExp;
  /** Whether a candidate really is a credential (a `Basic` value must decode to `user:password`). */
  readonly accept?: (match: RegExpExecArray, text: string) => boolean;
  /** The candidate with its secret part replaced by the mask, the rest kept readable. */
  readonly mask?: (match: RegExpExecArray) => string;
  /** Text without this cannot match: skips the pattern for most values (every value of every snapshot is tested). */
  readonly hint?: RegExp;
}

export const MASK = '****';

const whole = (): string => MASK;

/** Encrypted values: secret, but not plaintext. Their ciphertext is never shown either. */
export const ENCRYPTED_DETECTORS: readonly SecretDetector[] = [
  // Ansible Vault: the header, then lines of hex.
  {
    id: 'ansible-vault',
    hint: /\$ANSIBLE_VAULT;/,
    pattern: /\$ANSIBLE_VAULT;[0-9.]+;[A-Z0-9]+(?:;[^\s]*)?(?:\s+[0-9a-f]+)*/g,
  },
  // SOPS: ENC[AES256_GCM,data:…,iv:…,tag:…,type:str]
  { id: 'sops', hint: /ENC\[/, pattern: /ENC\[[A-Z0-9_]+,data:[^\]\s]*\]/g },
  {
    id: 'armored-message',
    hint: /-----BEGIN /,
    pattern: /-----BEGIN (?:PGP MESSAGE|AGE ENCRYPTED FILE)-----[\s\S]*?(?:-----END [A-Z ]+-----|$)/g,
  },
];

/** `user:password` in base64, as `Authorization: Basic …` carries it. */
function isBasicCredentials(base64: string): boolean {
  if (base64.length % 4 !== 0) return false;
  const decoded = Buffer.from(base64, 'base64').toString('utf8');
  return /^[^\s:]*:[^\s]+$/.test(decoded) && !decoded.includes('\uFFFD');
}

/** Credentials in plain text, by shape: whatever the key is called. */
export const CREDENTIAL_DETECTORS: readonly SecretDetector[] = [
  {
    id: 'private-key',
    pattern: /-----BEGIN ([A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?)-----[\s\S]*?(?:-----END [A-Z0-9 ]+-----|$)/g,
    mask: (match) => `-----BEGIN ${match[1]}----- ${MASK}`,
  },
  // A PEM block in base64, as Kubernetes and node-config files carry keys: `LS0tLS1CRUdJTi…` is `-----BEGIN`.
  { id: 'base64-pem', pattern: /\bLS0tLS1CRUdJTi[A-Za-z0-9+/]*={0,2}/g },
  { id: 'github', pattern: /\bgh[pousr]_[A-Za-z0-9]{30,}\b|\bgithub_pat_[A-Za-z0-9_]{40,}\b/g },
  { id: 'slack', pattern: /\bxox[abposr]-[A-Za-z0-9-]{10,}\b/g },
  {
    id: 'slack-webhook',
    pattern: /\b(hooks\.slack\.com\/services\/)T[A-Z0-9]+\/B[A-Z0-9]+\/[A-Za-z0-9]+/g,
    mask: (match) => `${match[1]}${MASK}`,
  },
  { id: 'stripe', pattern: /\b(?:sk|rk|pk)_(?:live|test)_[A-Za-z0-9]{16,}\b/g },
  { id: 'aws-access-key', pattern: /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g },
  { id: 'google-api-key', pattern: /\bAIza[0-9A-Za-z_-]{35}\b/g },
  { id: 'gitlab', pattern: /\bglpat-[A-Za-z0-9_-]{20,}\b/g },
  { id: 'npm', pattern: /\bnpm_[A-Za-z0-9]{36}\b/g },
  { id: 'sendgrid', pattern: /\bSG\.[A-Za-z0-9_-]{16,}\.[A-Za-z0-9_-]{16,}\b/g },
  { id: 'openai', pattern: /\bsk-(?:proj-)?[A-Za-z0-9_-]{32,}\b/g },
  { id: 'jwt', pattern: /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g },
  {
    // `Authorization: Bearer <token>`; not the phrase "Bearer authentication".
    id: 'bearer',
    hint: /bearer/i,
    pattern: /\b(Bearer\s+)([A-Za-z0-9\-._~+/]+=*)/gi,
    accept: (match) => {
      const token = match[2] as string;
      return token.length >= 8 && (/\d/.test(token) || token.length >= 24);
    },
    mask: (match) => `${match[1]}${MASK}`,
  },
  {
    id: 'basic',
    hint: /basic/i,
    pattern: /\b(Basic\s+)([A-Za-z0-9+/]{4,}={0,2})(?![A-Za-z0-9+/=])/gi,
    accept: (match) => isBasicCredentials(match[2] as string),
    mask: (match) => `${match[1]}${MASK}`,
  },
  {
    // `scheme://user:password@`, and a token as the user name (`https://<key>@o1.ingest.sentry.io/2`).
    id: 'url-credentials',
    hint: /@/,
    pattern: /\b([a-z][a-z0-9+.-]*:\/\/)([^\s:/?#@]*)(?::([^\s/?#@]*))?@/gi,
    accept: (match) => urlCredentials(match[2] as string, match[3]) !== undefined,
    mask: (match) => {
      const masked = urlCredentials(match[2] as string, match[3]) as { user: string; password?: string };
      return `${match[1]}${masked.user}${masked.password === undefined ? '' : `:${masked.password}`}@`;
    },
  },
  {
    // `password=…`, `DB_PASSWORD: …`, `"apiKey": "…"`, `AccountKey=…;`, `?token=…`, `&sig=…`:
    // a name that says secret, assigned a value that could be one. A bare value ends where the
    // next assignment could start (`error: DB_PASSWORD=7391` is not `error` assigned something);
    // only base64 padding may end it in `=`.
    id: 'secret-assignment',
    hint: /[=:]/,
    pattern:
      /(^|[^A-Za-z0-9_.])(["']?)([A-Za-z_][A-Za-z0-9_.-]*)\2([ \t]*[=:][ \t]*)(?:"([^"\n]*)"|'([^'\n]*)'|([^\s"',;&?#<>()[\]{}=]+={0,2}(?![^\s"',;&?#<>()[\]{}])))/g,
    accept: (match, text) => {
      const [, , quote = '', name = '', separator = '', doubleQuoted, singleQuoted, bare] = match;
      const value = doubleQuoted ?? singleQuoted ?? bare ?? '';
      if (value === '' || isPlaceholder(value)) return false;
      // `access_tokens:renew_expiring` is a name; `token: abc` and `"token":"abc"` are assignments.
      if (quote === '' && !separator.includes('=') && !/:[ \t]+$/.test(separator)) return false;
      // `key: value` is also how messages are written ("token: expected a string"): only a
      // lone value there (then the end of the line, or a separator) is taken for an assignment.
      if (bare !== undefined && separator.includes(':')) {
        const rest = text.slice(match.index + match[0].length);
        if (!/^[ \t]*(?:$|[\r\n,;}\])])/.test(rest)) return false;
      }
      const verdict = name.toLowerCase() === 'sig' ? { numeric: false } : sensitiveByName(name.split('.'));
      return verdict !== undefined && !plainlyNotSecret(value, verdict.numeric);
    },
    mask: (match) => {
      const [, before = '', quote = '', name = '', separator = '', doubleQuoted, singleQuoted] = match;
      const value = doubleQuoted !== undefined ? `"${MASK}"` : singleQuoted !== undefined ? `'${MASK}'` : MASK;
      return `${before}${quote}${name}${quote}${separator}${value}`;
    },
  },
];

/**
 * What of a URL's user information must be masked: a password that is not a
 * placeholder, a user name that looks like a token. Undefined when nothing is
 * secret there (`ssh://git@host`, `postgres://app:${DB_PASSWORD}@db`).
 */
export function urlCredentials(
  user: string,
  password: string | undefined,
): { user: string; password?: string } | undefined {
  const secretPassword = password !== undefined && password !== '' && !isPlaceholder(decode(password));
  const secretUser = user !== '' && (looksLikeToken(user) || hasShape(user, CREDENTIAL_DETECTORS));
  if (!secretPassword && !secretUser) return undefined;
  return {
    user: secretUser ? MASK : user,
    ...(password === undefined ? {} : { password: secretPassword ? MASK : password }),
  };
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

interface DetectorPlan {
  /** The detectors that need no check of their match, as one expression: one pass over the text instead of a dozen. */
  readonly union?: RegExp;
  readonly others: readonly SecretDetector[];
}

const plans = new WeakMap<readonly SecretDetector[], DetectorPlan>();

function planOf(detectors: readonly SecretDetector[]): DetectorPlan {
  let plan = plans.get(detectors);
  if (plan) return plan;
  const simple = detectors.filter((detector) => !detector.accept && !detector.hint && !detector.pattern.ignoreCase);
  const sources = simple.map((detector) => `(?:${detector.pattern.source})`);
  plan = {
    ...(sources.length > 0 ? { union: new RegExp(sources.join('|')) } : {}),
    others: detectors.filter((detector) => !simple.includes(detector)),
  };
  plans.set(detectors, plan);
  return plan;
}

/** Whether any detector finds a credential in `text`. */
export function hasShape(text: string, detectors: readonly SecretDetector[]): boolean {
  const plan = planOf(detectors);
  if (plan.union?.test(text)) return true;
  for (const detector of plan.others) {
    if (detector.hint && !detector.hint.test(text)) continue;
    const { pattern } = detector;
    pattern.lastIndex = 0;
    for (let match = pattern.exec(text); match !== null; match = pattern.exec(text)) {
      // An accept may run detectors itself (a URL's user name is checked for token shapes).
      const next = match[0] === '' ? pattern.lastIndex + 1 : pattern.lastIndex;
      const accepted = !detector.accept || detector.accept(match, text);
      pattern.lastIndex = accepted ? 0 : next;
      if (accepted) return true;
    }
  }
  return false;
}

/** `text` with every credential the detectors find masked; the rest of it unchanged. */
export function maskShapes(text: string, detectors: readonly SecretDetector[]): string {
  let masked = text;
  for (const detector of detectors) {
    detector.pattern.lastIndex = 0;
    masked = masked.replace(detector.pattern, (...args: unknown[]) => {
      const match = matchFromReplaceArgs(args);
      if (detector.accept && !detector.accept(match, match.input)) return match[0];
      return (detector.mask ?? whole)(match);
    });
  }
  return masked;
}

/** String.replace hands a callback (match, ...groups, offset, input[, groups]); rebuild the exec result. */
function matchFromReplaceArgs(args: readonly unknown[]): RegExpExecArray {
  const hasNamedGroups = typeof args[args.length - 1] === 'object' && args[args.length - 1] !== undefined;
  const end = hasNamedGroups ? args.length - 1 : args.length;
  const input = args[end - 1] as string;
  const index = args[end - 2] as number;
  const captures = args.slice(0, end - 2) as (string | undefined)[];
  return Object.assign(captures, { index, input }) as unknown as RegExpExecArray;
}
