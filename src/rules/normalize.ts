/**
 * `normalize: env-names`: values that differ only by the environment's name
 * are equal — `https://api.staging.acme.io` in staging and
 * `https://api.acme.io` in production. The name (and its usual short forms)
 * is taken out together with one separator next to it.
 */
const SHORT_FORMS: Readonly<Record<string, readonly string[]>> = {
  production: ['prod', 'prd'],
  staging: ['stage', 'stg'],
  development: ['dev'],
  integration: ['int'],
  preproduction: ['preprod'],
  sandbox: ['sbx'],
};

function namesFor(env: string): string[] {
  const lower = env.toLowerCase();
  const names = new Set([lower, ...(SHORT_FORMS[lower] ?? [])]);
  for (const [long, shorts] of Object.entries(SHORT_FORMS)) {
    if (shorts.includes(lower)) names.add(long);
  }
  // Longest first, so `production` goes before `prod`.
  return [...names].sort((a, b) => b.length - a.length);
}

function escapeRegExp(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&');
}

export function withoutEnvName(value: string, env: string): string {
  let out = value;
  for (const name of namesFor(env)) {
    const word = escapeRegExp(name);
    // `staging.` / `staging-` at a word start, else `.staging` / `-staging` at a word end.
    out = out.replace(new RegExp(`(?<![A-Za-z0-9])${word}[.\\-_]`, 'gi'), '');
    out = out.replace(new RegExp(`[.\\-_]${word}(?![A-Za-z0-9])`, 'gi'), '');
    out = out.replace(new RegExp(`(?<![A-Za-z0-9])${word}(?![A-Za-z0-9])`, 'gi'), '');
  }
  return out;
}
