import { pino } from 'pino';
import type { LogLevel } from './settings.js';

/** Headers that carry credentials or a delivery's signature; they are logged as `[Redacted]`. */
const SENSITIVE_HEADERS = [
  'authorization',
  'proxy-authorization',
  'cookie',
  'set-cookie',
  'x-hub-signature',
  'x-hub-signature-256',
];

/** Field names that hold a secret wherever they appear (up to two levels down: deeper wildcards make every line slow). */
const SENSITIVE_FIELDS = [
  'token',
  'secret',
  'secrets',
  'webhookSecrets',
  'key',
  'privateKey',
  'password',
  'authorization',
  'cookie',
];

/** pino's redaction paths: the sensitive headers of any logged request or response, and any sensitive field. */
export const REDACTED_PATHS: readonly string[] = [
  ...SENSITIVE_HEADERS.flatMap((header) => [`headers["${header}"]`, `*.headers["${header}"]`]),
  ...SENSITIVE_FIELDS.flatMap((field) => [field, `*.${field}`, `*.*.${field}`]),
];

export const REDACTED = '[Redacted]';

export interface LoggerOptions {
  readonly level: LogLevel;
  /**
   * Values that must never appear in a line, whatever field or message they
   * end up in (an error message quoting a URL, say): the settings' secrets.
   */
  readonly secrets?: readonly string[];
  /** Where the JSON lines go; standard output by default. */
  readonly destination?: { write(line: string): unknown };
}

export type Logger = pino.Logger;

/**
 * The service's logger: pino, one JSON object per line. Secrets are kept out
 * twice: by path (headers and fields named like secrets), and by value (every
 * known secret is replaced in the finished line, so that a secret quoted in an
 * error message does not leave either).
 */
export function createLogger(options: LoggerOptions): Logger {
  const destination = options.destination ?? process.stdout;
  const scrub = secretScrubber(options.secrets ?? []);
  return pino(
    {
      level: options.level,
      base: { service: 'driftwatch' },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: [...REDACTED_PATHS], censor: REDACTED },
      formatters: { level: (label) => ({ level: label }) },
    },
    { write: (line: string) => destination.write(scrub(line)) },
  );
}

/** Replaces every spelling of each secret a JSON line could hold; secrets shorter than 4 characters would mangle lines. */
export function secretScrubber(secrets: readonly string[]): (line: string) => string {
  const needles = new Set<string>();
  for (const secret of secrets) {
    for (const part of [secret, ...pemBodyLines(secret)]) {
      if (part.length < 4) continue;
      needles.add(part);
      needles.add(JSON.stringify(part).slice(1, -1));
    }
  }
  // Longest first, so that a secret containing another is replaced whole.
  const ordered = [...needles].sort((a, b) => b.length - a.length);
  if (ordered.length === 0) return (line) => line;
  return (line) => {
    let scrubbed = line;
    for (const needle of ordered) {
      if (scrubbed.includes(needle)) scrubbed = scrubbed.split(needle).join(REDACTED);
    }
    return scrubbed;
  };
}

/** A PEM key's base64 lines: a fragment of the key quoted alone must not leave either. */
function pemBodyLines(secret: string): string[] {
  if (!secret.includes('-----BEGIN')) return [];
  return secret
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.length >= 16 && !line.startsWith('-----'));
}
