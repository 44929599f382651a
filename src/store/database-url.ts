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
