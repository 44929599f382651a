import type { Finding, MatrixRow, Report } from '../../src/report/report.js';

/**
 * Report fixtures shared by the reporter tests. Built inline and fresh on each
 * call so a test cannot change another's input.
 *
 * `sampleReport()` covers what reporters must get right: three environments,
 * every severity, a sensitive finding (values are fingerprints only), a
 * baseline finding, a location without a line, a finding without any location,
 * two unreadable sources, and user-controlled strings full of characters that
 * mean something to a terminal, Markdown, HTML, XML or a workflow command.
 */

/** The one sensitive value's fingerprint, as the snapshot renders it. */
export const SENSITIVE_FINGERPRINT = 'fp:1a2b3c4d';

/** Key and message of the finding full of special characters. */
export const HOSTILE_KEY = 'features.<script>alert(1)</script>|new,checkout:%';
export const HOSTILE_MESSAGE = 'Differs: 50% of | users, see [docs](1) <b>now</b>\nsecond line: yes, `really`';
export const HOSTILE_VALUES = {
  staging: 'on|off `tick` <img src=x onerror=alert(1)> & more',
  production: '100%, on: yes\r\nnext\u001b[31mred',
} as const;

export function retiredOauthFinding(): Finding {
  return {
    id: '3f9c1a2b',
    rule: 'retired-global-oauth',
    kind: 'forbid',
    severity: 'error',
    key: 'oauth.global.client_id',
    envs: ['production'],
    message: 'Global OAuth credentials are retired; tenants use their own.',
    locations: [
      { env: 'production', file: 'config/production/app.yaml', line: 14, column: 3 },
      { env: 'production', file: 'deploy/production.env', line: 2 },
    ],
    values: { production: 'legacy-client-0042' },
  };
}

export function sharedSecretFinding(): Finding {
  return {
    id: 'a1b2c3d4',
    rule: 'no-shared-secrets',
    kind: 'differ',
    severity: 'error',
    key: 'db.password',
    envs: ['production', 'staging'],
    message: 'staging and production share the same value.',
    locations: [
      { env: 'production', file: 'config/production/db.yaml', line: 7 },
      { env: 'staging', file: 'config/staging/db.yaml', line: 7 },
    ],
    values: { staging: SENSITIVE_FINGERPRINT, production: SENSITIVE_FINGERPRINT },
  };
}

/** A location without a line: the key came from a source that has none. */
export function timezoneFinding(): Finding {
  return {
    id: '0c0ffee1',
    rule: 'utc-everywhere',
    kind: 'match',
    severity: 'warning',
    key: 'TZ',
    envs: ['development'],
    message: 'TZ must equal UTC.',
    locations: [{ env: 'development', file: 'deploy/development.env' }],
    values: { development: 'Europe/Paris' },
  };
}

export function baselineFinding(): Finding {
  return {
    id: 'b0a5e11e',
    rule: 'cache-parity',
    kind: 'parity',
    severity: 'warning',
    key: 'cache.ttl',
    envs: ['production'],
    message: 'cache.ttl is set in staging but missing in production.',
    locations: [{ env: 'staging', file: 'config/staging/app.yaml', line: 31 }],
    values: { staging: '300' },
    baseline: true,
    firstSeen: '2026-01-15',
  };
}

export function hostileFinding(): Finding {
  return {
    id: 'feedface',
    rule: 'same-feature-flags',
    kind: 'equal',
    severity: 'warning',
    key: HOSTILE_KEY,
    envs: ['production', 'staging'],
    message: HOSTILE_MESSAGE,
    locations: [
      { env: 'production', file: 'config/production/flags, 100%.yaml', line: 4 },
      { env: 'staging', file: 'config/staging/flags.yaml', line: 4 },
    ],
    values: { ...HOSTILE_VALUES },
  };
}

/** No location at all: a stale key found by reference search, not in one file. */
export function staleKeyFinding(): Finding {
  return {
    id: '5ca1ab1e',
    rule: 'stale-keys',
    kind: 'referenced',
    severity: 'notice',
    key: 'legacy.timeout',
    envs: ['staging'],
    message: 'No code reads legacy.timeout.',
    locations: [],
  };
}

/**
 * The key matrix of the sample's environments (development, staging,
 * production): a secret shared by two (its fingerprint only), a key only
 * production holds, a hostile key and values, an empty value, a value that
 * prints alike but differs in type (variant 1).
 */
export function sampleMatrix(): MatrixRow[] {
  const at = (file: string, line?: number) => ({ file, ...(line === undefined ? {} : { line }) });
  return [
    {
      key: 'TZ',
      cells: [
        { value: 'Europe/Paris', sensitive: false, variant: 0, ...at('deploy/development.env') },
        undefined,
        undefined,
      ],
    },
    {
      key: 'cache.ttl',
      cells: [
        undefined,
        { value: '300', sensitive: false, variant: 0, ...at('config/staging/app.yaml', 31) },
        { value: '300', sensitive: false, variant: 1, ...at('config/production/app.yaml', 30) },
      ],
    },
    {
      key: 'db.password',
      cells: [
        undefined,
        { value: SENSITIVE_FINGERPRINT, sensitive: true, variant: 0, ...at('config/staging/db.yaml', 7) },
        { value: SENSITIVE_FINGERPRINT, sensitive: true, variant: 0, ...at('config/production/db.yaml', 7) },
      ],
    },
    {
      key: HOSTILE_KEY,
      cells: [
        undefined,
        { value: HOSTILE_VALUES.staging, sensitive: false, variant: 0, ...at('config/staging/flags.yaml', 4) },
        {
          value: HOSTILE_VALUES.production,
          sensitive: false,
          variant: 1,
          ...at('config/production/flags, 100%.yaml', 4),
        },
      ],
    },
    {
      key: 'log.prefix',
      cells: [
        { value: '', sensitive: false, variant: 0, ...at('deploy/development.env', 3) },
        { value: '', sensitive: false, variant: 0, ...at('config/staging/app.yaml', 2) },
        { value: '', sensitive: false, variant: 0, ...at('config/production/app.yaml', 2) },
      ],
    },
    {
      key: 'oauth.global.client_id',
      cells: [
        undefined,
        undefined,
        { value: 'legacy-client-0042', sensitive: false, variant: 0, ...at('config/production/app.yaml', 14) },
      ],
    },
  ];
}

export function sampleReport(): Report {
  return {
    version: 1,
    environments: [
      {
        name: 'development',
        keys: 1,
        sources: [{ source: 'deploy/development.env', status: 'ok' }],
      },
      {
        name: 'staging',
        keys: 412,
        sources: [
          { source: 'config/staging/*.yaml', status: 'ok' },
          { source: 'deploy/staging.env', status: 'ok' },
          { source: 'https://config.internal/staging.json', status: 'ok' },
        ],
      },
      {
        name: 'production',
        keys: 398,
        sources: [
          { source: 'config/production/*.yaml', status: 'error' },
          { source: 'deploy/production.env', status: 'ok' },
          { source: 'https://config.internal/production.json', status: 'error' },
        ],
      },
    ],
    // Sorted as the contract says: severity, then key, then rule, then id.
    findings: [
      sharedSecretFinding(),
      retiredOauthFinding(),
      timezoneFinding(),
      baselineFinding(),
      hostileFinding(),
      staleKeyFinding(),
    ],
    errors: [
      {
        source: 'config/production/*.yaml',
        env: 'production',
        message: 'could not parse YAML: bad indentation of a mapping entry',
        file: 'config/production/broken.yaml',
        line: 3,
        column: 7,
      },
      {
        source: 'https://config.internal/production.json',
        env: 'production',
        message: 'HTTP 503 Service Unavailable',
      },
    ],
    summary: { error: 2, warning: 2, notice: 1 },
    rules: [
      {
        id: 'cache-parity',
        kind: 'parity',
        severity: 'warning',
        description: 'A key set in one environment is set in all.',
      },
      {
        id: 'no-shared-secrets',
        kind: 'differ',
        severity: 'error',
        description: 'Secrets differ between environments. Sharing one widens the blast radius of a leak.',
      },
      {
        id: 'retired-global-oauth',
        kind: 'forbid',
        severity: 'error',
        description: 'Global OAuth credentials are retired; tenants use their own.',
      },
      {
        id: 'same-feature-flags',
        kind: 'equal',
        severity: 'warning',
        description: 'Feature flags are equal everywhere.',
      },
      {
        id: 'stale-keys',
        kind: 'referenced',
        severity: 'notice',
        description: 'Every configured key is read by code.',
      },
      { id: 'unused-rule', kind: 'require', severity: 'error', description: 'A rule that found nothing.' },
      { id: 'utc-everywhere', kind: 'match', severity: 'warning', description: 'TZ is UTC.' },
    ],
    matrix: sampleMatrix(),
  };
}

/** The same environments, all sources read, nothing found. */
export function cleanReport(): Report {
  const sample = sampleReport();
  return {
    ...sample,
    environments: sample.environments.map((environment) => ({
      ...environment,
      sources: environment.sources.map((source) => ({ ...source, status: 'ok' as const })),
    })),
    findings: [],
    errors: [],
    summary: { error: 0, warning: 0, notice: 0 },
  };
}

/** The sample without its source errors: a check that completed. */
export function completedReport(): Report {
  const sample = sampleReport();
  return { ...cleanReport(), findings: sample.findings, summary: sample.summary };
}
