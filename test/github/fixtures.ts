import type { StandInFiles } from '../helpers/github-stand-in.js';

/** A secret planted in production's config: it must never reach a comment, an annotation, a log line or a metric. */
export const CANARY_SECRET = 'canary-8d1e5c2a7f0b43e19a6c';

export const CONFIG = `version: 1
environments:
  staging:
    sources: [{path: config/staging.env}]
  production:
    sources: [{path: config/production.env}]
rules: [rules/*.yaml]
references:
  include: [src/**]
`;

export const PACK = `rules:
  - {id: parity, kind: parity}
  - {id: same-session-secret, kind: equal, keys: [SESSION_SECRET]}
  - {id: payments-config, kind: couple, when: ["src/payments/**"], require: ["PAYMENTS_*"]}
`;

/** The base branch: a hero feature behind a flag, an old flag still read, a payments client. */
export const BASE: StandInFiles = {
  'driftwatch.yaml': CONFIG,
  'rules/app.yaml': PACK,
  'config/staging.env': [
    'DATABASE_HOST=db.staging.internal',
    'HERO_ENABLED=true',
    'OLD_FLAG=1',
    'PAYMENTS_URL=https://pay.staging.example',
    'SESSION_SECRET=staging-session-secret-value',
    '',
  ].join('\n'),
  'config/production.env': [
    'DATABASE_HOST=db.internal',
    'HERO_ENABLED=true',
    'LOG_LEVEL=info',
    'OLD_FLAG=1',
    'PAYMENTS_URL=https://pay.example',
    `SESSION_SECRET=${CANARY_SECRET}`,
    '',
  ].join('\n'),
  'src/db.ts': 'export const host = process.env.DATABASE_HOST;\n',
  'src/hero.ts': 'export const enabled = process.env.HERO_ENABLED === "true";\n',
  'src/old.ts': 'export const old = process.env.OLD_FLAG;\n',
  'src/logging.ts': 'export const level = process.env.LOG_LEVEL ?? "info";\n',
  'src/payments/api.ts': 'export const url = process.env.PAYMENTS_URL;\n',
  'README.md': '# Hello World\n',
};

/**
 * The pull request's head: the hero feature reads a timeout that only
 * staging gets, the old flag's last read goes, payments code changes with
 * only staging's payments config, staging gains the LOG_LEVEL production had.
 */
export const HEAD: StandInFiles = {
  ...BASE,
  'config/staging.env': [
    'DATABASE_HOST=db.staging.internal',
    'HERO_ENABLED=true',
    'HERO_TIMEOUT_MS=5000',
    'LOG_LEVEL=debug',
    'OLD_FLAG=1',
    'PAYMENTS_URL=https://pay-v2.staging.example',
    'SESSION_SECRET=staging-session-secret-value',
    '',
  ].join('\n'),
  'src/hero.ts': [
    'export const enabled = process.env.HERO_ENABLED === "true";',
    'export const timeout = Number(process.env.HERO_TIMEOUT_MS);',
    '',
  ].join('\n'),
  'src/payments/api.ts': 'export const url = process.env.PAYMENTS_URL;\nexport const version = 2;\n',
};
delete (HEAD as Record<string, unknown>)['src/old.ts'];

/**
 * A wide pull request: `count` new code files, each reading a setting that
 * staging gains and production lacks (plus staging's config: `count` + 1 files).
 */
export function wideHead(count: number): StandInFiles {
  const head: Record<string, StandInFiles[string]> = { ...BASE };
  const staging: string[] = [(BASE['config/staging.env'] as string).trimEnd()];
  for (let index = 0; index < count; index++) {
    const name = `FEATURE_${String(index).padStart(3, '0')}_URL`;
    head[`src/features/feature-${index}.ts`] = `export const url = process.env.${name};\n`;
    staging.push(`${name}=https://feature-${index}.staging.example`);
  }
  head['config/staging.env'] = `${staging.join('\n')}\n`;
  return head;
}
