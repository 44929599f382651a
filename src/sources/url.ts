import * as z from 'zod';
import { ByteSize, Duration } from '../config/units.js';
import { SourceError } from '../errors.js';
import type { FormatId } from '../formats/format.js';
import { scrubSecrets } from '../snapshot/scrub.js';
import { formatByteSize, formatDuration, printable } from './command.js';
import { isBlank } from './is-blank.js';
import { commonSourceFields, type Source } from './source.js';

/** `${API_TOKEN}`: read from the environment when the source is read, never written down. */
const VARIABLE = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;
const WHOLLY_VARIABLES = /^(?:\$\{[A-Za-z_][A-Za-z0-9_]*\})+$/;

/** A `${` that does not start a variable reference would be sent as it is. */
function hasOnlyWellFormedVariables(template: string): boolean {
  return !template.replace(VARIABLE, '').includes('${');
}
const MALFORMED_VARIABLE = `'\${' must start a variable reference such as \${API_TOKEN}`;

export const UrlSourceSpec = z.strictObject({
  url: z
    .string()
    .regex(/^https?:\/\/[^\s]+$/i, 'url must be an http:// or https:// URL')
    .refine(hasOnlyWellFormedVariables, MALFORMED_VARIABLE),
  /** Values may use `${VAR}`; they are treated as credentials and never shown. */
  headers: z.record(z.string().min(1), z.string().refine(hasOnlyWellFormedVariables, MALFORMED_VARIABLE)).optional(),
  timeout: Duration.default(30_000),
  maxBytes: ByteSize.default(10 * 1024 ** 2),
  ...commonSourceFields,
});
export type UrlSourceSpec = z.infer<typeof UrlSourceSpec>;

/** How much of an error response's first line is worth showing. */
const SNIPPET_LENGTH = 120;
/** Shorter values are not credentials, and masking them would garble messages. */
const MIN_SECRET_LENGTH = 4;
const MASK = '***';

/**
 * The URL as written, with its password and query values masked unless they
 * are `${VAR}` references (which say where the secret comes from, not what it is).
 */
function describeUrl(spec: UrlSourceSpec): string {
  const [beforeFragment = ''] = spec.url.split('#');
  const queryStart = beforeFragment.indexOf('?');
  const base = queryStart < 0 ? beforeFragment : beforeFragment.slice(0, queryStart);
  const query = queryStart < 0 ? undefined : beforeFragment.slice(queryStart + 1);
  const maskLiteral = (value: string) => (value === '' || WHOLLY_VARIABLES.test(value) ? value : MASK);

  const maskedBase = base.replace(/^(https?:\/\/)([^/@]*)@/i, (_, scheme: string, userinfo: string) => {
    const colon = userinfo.indexOf(':');
    if (colon < 0) return `${scheme}${userinfo}@`;
    return `${scheme}${userinfo.slice(0, colon)}:${maskLiteral(userinfo.slice(colon + 1))}@`;
  });
  if (query === undefined) return maskedBase;
  const maskedQuery = query
    .split('&')
    .map((pair) => {
      const equals = pair.indexOf('=');
      return equals < 0 ? pair : `${pair.slice(0, equals)}=${maskLiteral(pair.slice(equals + 1))}`;
    })
    .join('&');
  return `${maskedBase}?${maskedQuery}`;
}

/**
 * Configuration served over HTTP(S) (a config service, a raw file on a
 * forge). One GET, no redirects followed: a redirect could carry the
 * credential headers to another host.
 */
export const urlSource: Source<UrlSourceSpec> = {
  kind: 'url',
  schema: UrlSourceSpec,
  describe: describeUrl,
  async read(spec, context) {
    // A token as the URL's user name (`https://<key>@host/…`) is masked like a password.
    const label = scrubSecrets(describeUrl(spec));
    const secrets = new SecretValues();
    // What the environment and the headers supplied, then whatever else looks like a credential
    // (an error page quoting a token, a redirect's Location carrying one).
    const scrub = (text: string) => scrubSecrets(secrets.scrub(text));
    const fail = (message: string, file?: string): SourceError =>
      new SourceError([{ source: label, ...(file === undefined ? {} : { file }), message: scrub(message) }]);

    const urlVariables = new Map<string, string>();
    const interpolate = (template: string, where: string, used: Map<string, string>): string =>
      template.replace(VARIABLE, (_, name: string) => {
        const value = context.env[name];
        // Empty counts as unset: sending `Bearer ` is never what was meant.
        if (value === undefined || value === '') {
          throw fail(`environment variable ${name} is not set (used in ${where})`);
        }
        used.set(name, value);
        secrets.add(value);
        return value;
      });

    const headers = new Headers();
    for (const [name, template] of Object.entries(spec.headers ?? {})) {
      const value = interpolate(template, `header ${name}`, new Map());
      secrets.add(value);
      // fetch would reject these with a message that quotes the value.
      if (/[\r\n\0]/.test(value)) throw fail(`header ${name} has a line break or NUL in its value`);
      try {
        headers.set(name, value);
      } catch {
        throw fail(`'${name}' is not a valid header name or its value has characters a header cannot carry`);
      }
    }

    const url = parseHttpUrl(interpolate(spec.url, 'url', urlVariables));
    if (url === undefined) throw fail('url is not a valid http:// or https:// URL once its variables are filled in');
    const origin = scrubSecrets(maskUrl(url, urlVariables));
    const requestUrl = moveUserinfoToHeader(url, headers, secrets);

    let response: Response;
    try {
      response = await fetch(requestUrl, { headers, redirect: 'manual', signal: AbortSignal.timeout(spec.timeout) });
    } catch (error) {
      throw fail(describeFetchError(error, spec.timeout), origin);
    }

    if (response.status >= 300 && response.status < 400) {
      await response.body?.cancel();
      const location = parseHttpUrl(response.headers.get('location') ?? '', url);
      const where = location ? ` to ${maskUrl(location, urlVariables)}` : '';
      throw fail(
        `HTTP ${response.status} ${response.statusText}: redirected${where}; point the source at the final URL (redirects are not followed, so headers only go where the config says)`,
        origin,
      );
    }
    if (!response.ok) {
      const snippet = await firstLineOf(response, scrub);
      throw fail(`HTTP ${response.status} ${response.statusText}${snippet ? `: ${snippet}` : ''}`, origin);
    }

    const declaredLength = Number(response.headers.get('content-length') ?? Number.NaN);
    if (declaredLength > spec.maxBytes) {
      await response.body?.cancel();
      throw fail(`the response is larger than ${formatByteSize(spec.maxBytes)} (maxBytes)`, origin);
    }
    let body: { bytes: Uint8Array; complete: boolean };
    try {
      body = await readUpTo(response, spec.maxBytes);
    } catch (error) {
      throw fail(describeFetchError(error, spec.timeout), origin);
    }
    if (!body.complete) throw fail(`the response is larger than ${formatByteSize(spec.maxBytes)} (maxBytes)`, origin);

    if (isBlank(body.bytes) && spec.allowEmpty !== true) {
      throw fail(`HTTP ${response.status} with an empty body`, origin);
    }
    const formatHint = formatFromContentType(response.headers.get('content-type'));
    const { bytes } = body;
    return [formatHint === undefined ? { origin, bytes } : { origin, bytes, formatHint }];
  },
};

/** Values that must never appear in a message: whatever came from the environment or went into a header. */
class SecretValues {
  private readonly values = new Set<string>();

  add(value: string): void {
    if (value.length >= MIN_SECRET_LENGTH) this.values.add(value);
  }

  scrub(text: string): string {
    let scrubbed = text;
    // Longest first, so a secret containing another is masked whole.
    for (const value of [...this.values].sort((a, b) => b.length - a.length)) {
      for (const form of new Set([value, encodeURIComponent(value)])) scrubbed = scrubbed.split(form).join(MASK);
    }
    return scrubbed;
  }
}

/**
 * fetch refuses URLs with credentials (and would quote them in its error);
 * `https://user:${PASSWORD}@host` is still the plainest way to write basic
 * authentication, so it becomes the header it stands for.
 */
function moveUserinfoToHeader(url: URL, headers: Headers, secrets: SecretValues): URL {
  if (url.username === '' && url.password === '') return url;
  const decode = (text: string) => {
    try {
      return decodeURIComponent(text);
    } catch {
      return text;
    }
  };
  const credentials = `${decode(url.username)}:${decode(url.password)}`;
  const encoded = Buffer.from(credentials).toString('base64');
  for (const secret of [url.password, decode(url.password), credentials, encoded]) secrets.add(secret);
  if (!headers.has('authorization')) headers.set('authorization', `Basic ${encoded}`);
  const withoutUserinfo = new URL(url);
  withoutUserinfo.username = '';
  withoutUserinfo.password = '';
  return withoutUserinfo;
}

function parseHttpUrl(text: string, base?: URL): URL | undefined {
  try {
    const url = new URL(text, base);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The URL as requested, fit for a report: the password and every query value
 * masked, variables in the user name and path shown as `${NAME}` (a path can
 * carry a token too), the host left readable, no fragment.
 */
export function maskUrl(url: URL, variables: ReadonlyMap<string, string>): string {
  const showVariables = (text: string) => {
    let shown = text;
    const longestFirst = [...variables].sort(([, a], [, b]) => b.length - a.length);
    for (const [name, value] of longestFirst) {
      if (value.length === 0) continue;
      for (const form of new Set([value, encodeURIComponent(value)])) shown = shown.split(form).join(`\${${name}}`);
    }
    return shown;
  };
  let userinfo = '';
  if (url.username !== '' || url.password !== '') {
    userinfo = `${showVariables(url.username)}${url.password === '' ? '' : `:${MASK}`}@`;
  }
  const query = [...url.searchParams.keys()]
    .map((key) => `${showVariables(encodeURIComponent(key))}=${MASK}`)
    .join('&');
  return `${url.protocol}//${userinfo}${url.host}${showVariables(url.pathname)}${query === '' ? '' : `?${query}`}`;
}

function describeFetchError(error: unknown, timeoutMs: number): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return `timed out after ${formatDuration(timeoutMs)}`;
  }
  // undici says only "fetch failed"; the reason (ECONNREFUSED, ENOTFOUND, a TLS error) is in the cause.
  const cause = error instanceof Error ? (error.cause as NodeJS.ErrnoException | undefined) : undefined;
  const reason = cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
  return `request failed: ${reason}`;
}

/**
 * Reads the body until it ends or passes `limit`; past the limit it stops
 * reading and closes the connection, so an endless body costs nothing.
 */
async function readUpTo(response: Response, limit: number): Promise<{ bytes: Uint8Array; complete: boolean }> {
  if (!response.body) return { bytes: new Uint8Array(), complete: true };
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  let complete = true;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    total += value.byteLength;
    if (total > limit) {
      complete = false;
      await reader.cancel();
      break;
    }
  }
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return { bytes, complete };
}

/** The start of an error page's first line: often the one useful sentence. Never more. */
async function firstLineOf(response: Response, scrub: (text: string) => string): Promise<string> {
  try {
    const { bytes } = await readUpTo(response, 4096);
    // Scrubbed before it is cut: a secret must not survive as the start of a shortened line.
    const line =
      scrub(new TextDecoder('utf-8').decode(bytes))
        .split(/\r?\n/)
        .map(printable)
        .find((candidate) => candidate !== '') ?? '';
    return line.length > SNIPPET_LENGTH ? `${line.slice(0, SNIPPET_LENGTH)}…` : line;
  } catch {
    return '';
  }
}

function formatFromContentType(contentType: string | null): FormatId | undefined {
  const mediaType = contentType?.split(';')[0]?.trim().toLowerCase();
  if (!mediaType) return undefined;
  if (mediaType === 'application/json' || mediaType === 'text/json' || mediaType.endsWith('+json')) return 'json';
  if (/^(application|text)\/(x-)?yaml$/.test(mediaType) || mediaType.endsWith('+yaml')) return 'yaml';
  if (/^(application|text)\/(x-)?toml$/.test(mediaType)) return 'toml';
  return undefined;
}
