/** The PostgreSQL schema of the history when the config names none. */
export const DEFAULT_HISTORY_SCHEMA = 'driftwatch';

/** Lower-case, unquoted PostgreSQL identifiers: what a person can type in psql without quotes. */
export const HISTORY_SCHEMA_PATTERN = /^[a-z_][a-z0-9_]{0,62}$/;

/** Whether `databaseUrl` asks for PostgreSQL rather than the SQLite file. */
export function isPostgresUrl(databaseUrl: string): boolean {
  return /^postgres(ql)?:\/\//i.test(databaseUrl);
}

/**
 * The URL as it may be shown: password masked, query dropped (libpq lets a
 * query carry `password=` too). Undefined when the URL cannot be parsed, in
 * which case nothing of it may be shown.
 */
export function redactDatabaseUrl(databaseUrl: string): string | undefined {
  let url: URL;
  try {
    url = new URL(databaseUrl);
  } catch {
    return undefined;
  }
  if (url.password !== '') url.password = '***';
  url.search = '';
  url.hash = '';
  return url.toString();
}

/** Every spelling of the URL's password that could turn up in a driver's error message. */
export function secretsOf(databaseUrl: string): string[] {
  const secrets = new Set<string>();
  try {
    const url = new URL(databaseUrl);
    if (url.password !== '') {
      secrets.add(url.password);
      secrets.add(safeDecode(url.password));
    }
    for (const [name, value] of url.searchParams) {
      if (name.toLowerCase() === 'password' && value !== '') secrets.add(value);
    }
  } catch {
    // Unparsable: the caller shows nothing of the URL anyway.
  }
  return [...secrets].filter((secret) => secret.length > 0);
}

/** `text` with every secret replaced by `***`. */
export function scrubSecrets(text: string, secrets: readonly string[]): string {
  let scrubbed = text;
  for (const secret of secrets) scrubbed = scrubbed.split(secret).join('***');
  return scrubbed;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** `${NAME}`: filled in from the environment when the store opens, so that no password is written in a file. */
const VARIABLE = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;
const WHOLLY_VARIABLES = /^(?:\$\{[A-Za-z_][A-Za-z0-9_]*\})+$/;
/** scheme `://` [userinfo `@`] rest: userinfo ends at the last `@` before the path. */
const AUTHORITY = /^([a-z][a-z0-9+.-]*:\/\/)(?:([^/?#]*)@)?(.*)$/is;

/**
 * What is wrong with a `history.database` as written in driftwatch.yaml, if
 * anything: it must be a PostgreSQL URL (or a variable holding one), its
 * `${VAR}`s well formed, and its password, if any, a variable — a committed
 * file is no place for a password.
 */
export function databaseUrlTemplateProblem(template: string): string | undefined {
  if (template.replace(VARIABLE, '').includes('${')) {
    return "'${' must start a variable reference such as ${DRIFTWATCH_DB_PASSWORD}";
  }
  if (WHOLLY_VARIABLES.test(template)) return undefined;
  if (!isPostgresUrl(template)) return 'must be a postgres:// or postgresql:// URL, or a ${VARIABLE} that holds one';
  const userinfo = AUTHORITY.exec(template)?.[2];
  const colon = userinfo?.indexOf(':') ?? -1;
  const password = userinfo !== undefined && colon >= 0 ? userinfo.slice(colon + 1) : '';
  const queryPassword = /[?&]password=([^&#]*)/i.exec(template)?.[1] ?? '';
  for (const written of [password, queryPassword]) {
    if (written !== '' && !WHOLLY_VARIABLES.test(written)) {
      return 'write the password as a variable (postgres://user:${DRIFTWATCH_DB_PASSWORD}@host/db) or leave it out and set PGPASSWORD; a password written in driftwatch.yaml is committed with it';
    }
  }
  return undefined;
}

export type FilledDatabaseUrl =
  | { readonly ok: true; readonly url: string }
  | { readonly ok: false; readonly missing: string };

/**
 * Fills the `${VAR}`s of a `history.database` from `env`. Inside the user
 * and password they are percent-encoded, so a password with `@` or `/` in it
 * still makes a valid URL; elsewhere (a whole URL in one variable, a host) they
 * are used as they are. An unset or empty variable is reported, not left empty.
 */
export function fillDatabaseUrl(
  template: string,
  env: Readonly<Record<string, string | undefined>>,
): FilledDatabaseUrl {
  let missing: string | undefined;
  const fill = (text: string, encode: boolean) =>
    text.replace(VARIABLE, (_, name: string) => {
      const value = env[name];
      if (value === undefined || value === '') {
        missing ??= name;
        return '';
      }
      return encode ? encodeURIComponent(value) : value;
    });
  const parts = AUTHORITY.exec(template);
  const url =
    parts === null
      ? fill(template, false)
      : `${fill(parts[1] as string, false)}${parts[2] === undefined ? '' : `${fill(parts[2], true)}@`}${fill(parts[3] as string, false)}`;
  return missing === undefined ? { ok: true, url } : { ok: false, missing };
}
