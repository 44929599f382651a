import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, formatProblem } from '../../src/errors.js';
import { loadServerSettings, secretSettingValues } from '../../src/server/settings.js';
import { run } from '../cli/io.js';

const PEM = generateKeyPairSync('rsa', { modulusLength: 2048 })
  .privateKey.export({ type: 'pkcs1', format: 'pem' })
  .toString();
const CWD = mkdtempSync(path.join(tmpdir(), 'driftwatch-settings-'));
afterAll(() => rmSync(CWD, { recursive: true, force: true }));

const TOKEN_SETTINGS = { GITHUB_WEBHOOK_SECRET: 'whsec-canary-1', GITHUB_TOKEN: 'ghp_canaryTokenValue123' };

/** The problem lines a start-up with `env` would print, one per setting. */
function problems(env: Record<string, string>, configFile?: string): string[] {
  try {
    loadServerSettings(env, { cwd: CWD, ...(configFile === undefined ? {} : { configFile }) });
  } catch (error) {
    if (error instanceof ConfigError) return error.problems.map(formatProblem);
    throw error;
  }
  return [];
}

describe('server/settings', () => {
  it('starts with nothing set: SQLite in the working directory, in-process queue, no PR bot', () => {
    expect(loadServerSettings({}, { cwd: CWD })).toEqual({
      port: 3000,
      host: '127.0.0.1',
      storeDir: CWD,
      jobsSchema: 'driftwatch_jobs',
      historySchema: 'driftwatch',
      jobConcurrency: 4,
      drainTimeoutMs: 25_000,
      logLevel: 'info',
    });
  });

  it('reads every setting', () => {
    const settings = loadServerSettings(
      {
        PORT: '8080',
        HOST: '0.0.0.0',
        ...TOKEN_SETTINGS,
        GITHUB_WEBHOOK_SECRET: 'new-secret, old-secret',
        GITHUB_API_URL: 'https://github.example.com/api/v3/',
        DRIFTWATCH_DATABASE_URL: 'postgres://driftwatch:pw@db:5432/driftwatch',
        DATABASE_URL: 'postgres://app:pw@db:5432/app',
        DRIFTWATCH_FINGERPRINT_KEY: 'c0ffee00'.repeat(8),
        DRIFTWATCH_JOBS_SCHEMA: 'jobs',
        DRIFTWATCH_DATABASE_SCHEMA: 'ops_history',
        DRIFTWATCH_JOB_CONCURRENCY: '8',
        DRIFTWATCH_DRAIN_TIMEOUT: '10s',
        LOG_LEVEL: 'debug',
      },
      { cwd: CWD },
    );
    expect(settings).toEqual({
      port: 8080,
      host: '0.0.0.0',
      github: {
        webhookSecrets: ['new-secret', 'old-secret'],
        auth: { kind: 'token', token: 'ghp_canaryTokenValue123' },
        apiUrl: 'https://github.example.com/api/v3',
      },
      database: { url: 'postgres://driftwatch:pw@db:5432/driftwatch', from: 'DRIFTWATCH_DATABASE_URL' },
      fingerprintKey: 'c0ffee00'.repeat(8),
      storeDir: CWD,
      jobsSchema: 'jobs',
      historySchema: 'ops_history',
      jobConcurrency: 8,
      drainTimeoutMs: 10_000,
      logLevel: 'debug',
    });
  });

  it('takes DATABASE_URL when DRIFTWATCH_DATABASE_URL is unset: the service owns its database', () => {
    const settings = loadServerSettings(
      { DATABASE_URL: 'postgresql://app@db/app', DRIFTWATCH_FINGERPRINT_KEY: 'ab'.repeat(32) },
      { cwd: CWD },
    );
    expect(settings.database).toEqual({ url: 'postgresql://app@db/app', from: 'DATABASE_URL' });
  });

  it('reads a GitHub App, its private key with literal \\n escapes as env files carry it', () => {
    const escaped = PEM.trim().replaceAll('\n', '\\n');
    const settings = loadServerSettings(
      { GITHUB_WEBHOOK_SECRET: 's', GITHUB_APP_ID: '123456', GITHUB_APP_PRIVATE_KEY: escaped },
      { cwd: CWD },
    );
    expect(settings.github?.auth).toEqual({ kind: 'app', appId: 123456, privateKey: PEM.trim() });
    expect(settings.github?.apiUrl).toBe('https://api.github.com');
  });

  it('puts the SQLite store beside the config given with -c', () => {
    const dir = mkdtempSync(path.join(CWD, 'repo-'));
    writeFileSync(path.join(dir, 'driftwatch.yaml'), 'version: 1\n');
    expect(loadServerSettings({}, { cwd: CWD, configFile: path.join(dir, 'driftwatch.yaml') }).storeDir).toBe(dir);
    expect(problems({}, 'missing/driftwatch.yaml')).toEqual([
      'missing/driftwatch.yaml: the config file does not exist',
    ]);
  });

  describe('a malformed setting is one line naming it', () => {
    const cases: [string, Record<string, string>, string][] = [
      ['PORT', { PORT: '80a' }, 'PORT: must be a port number from 0 to 65535 (got "80a")'],
      ['PORT', { PORT: '70000' }, 'PORT: must be a port number from 0 to 65535 (got "70000")'],
      ['HOST', { HOST: 'exa mple' }, 'HOST: must be an IP address or a host name to listen on (got "exa mple")'],
      [
        'GITHUB_WEBHOOK_SECRET',
        { ...TOKEN_SETTINGS, GITHUB_WEBHOOK_SECRET: 'whsec-canary-1,,whsec-canary-2' },
        'GITHUB_WEBHOOK_SECRET: must be one secret, or several separated by commas while one is rotated, none of them empty',
      ],
      [
        'GITHUB_APP_ID',
        { GITHUB_WEBHOOK_SECRET: 's', GITHUB_APP_ID: 'my-app', GITHUB_APP_PRIVATE_KEY: PEM },
        'GITHUB_APP_ID: must be the GitHub App\'s numeric id (got "my-app")',
      ],
      [
        'GITHUB_APP_PRIVATE_KEY',
        { GITHUB_WEBHOOK_SECRET: 's', GITHUB_APP_ID: '1', GITHUB_APP_PRIVATE_KEY: 'canary-not-a-key' },
        "GITHUB_APP_PRIVATE_KEY: must be the GitHub App's private key in PEM form (-----BEGIN RSA PRIVATE KEY-----…)",
      ],
      [
        'GITHUB_APP_PRIVATE_KEY',
        {
          GITHUB_WEBHOOK_SECRET: 's',
          GITHUB_APP_ID: '1',
          GITHUB_APP_PRIVATE_KEY: '-----BEGIN RSA PRIVATE KEY-----\ncanaryGarbage\n-----END RSA PRIVATE KEY-----',
        },
        "GITHUB_APP_PRIVATE_KEY: must be the GitHub App's private key in PEM form (-----BEGIN RSA PRIVATE KEY-----…)",
      ],
      [
        'GITHUB_TOKEN',
        { GITHUB_WEBHOOK_SECRET: 's', GITHUB_TOKEN: 'ghp_canary token' },
        'GITHUB_TOKEN: must be a token, without spaces',
      ],
      [
        'GITHUB_API_URL',
        { ...TOKEN_SETTINGS, GITHUB_API_URL: 'https://user:canary-pw@github.example.com' },
        'GITHUB_API_URL: must be an http(s) URL without credentials, such as https://github.example.com/api/v3',
      ],
      [
        'DRIFTWATCH_DATABASE_URL',
        { DRIFTWATCH_DATABASE_URL: 'mysql://root:canary-pw@db/app', DRIFTWATCH_FINGERPRINT_KEY: 'ab'.repeat(32) },
        'DRIFTWATCH_DATABASE_URL: must be a postgres:// URL (the service keeps its history and its job queue there)',
      ],
      [
        'DATABASE_URL',
        { DATABASE_URL: 'mysql://root:canary-pw@db/app', DRIFTWATCH_FINGERPRINT_KEY: 'ab'.repeat(32) },
        'DATABASE_URL: must be a postgres:// URL (the service keeps its history and its job queue there)',
      ],
      [
        'DRIFTWATCH_JOBS_SCHEMA',
        { DRIFTWATCH_JOBS_SCHEMA: 'Jobs; drop' },
        'DRIFTWATCH_JOBS_SCHEMA: must be a lower-case SQL identifier of at most 50 characters (got "Jobs; drop")',
      ],
      [
        'DRIFTWATCH_JOB_CONCURRENCY',
        { DRIFTWATCH_JOB_CONCURRENCY: '0' },
        'DRIFTWATCH_JOB_CONCURRENCY: must be a whole number from 1 to 64 (got "0")',
      ],
      [
        'DRIFTWATCH_DRAIN_TIMEOUT',
        { DRIFTWATCH_DRAIN_TIMEOUT: '25' },
        "DRIFTWATCH_DRAIN_TIMEOUT: must be a duration with its unit, such as '25s' or '500ms'",
      ],
      [
        'LOG_LEVEL',
        { LOG_LEVEL: 'verbose' },
        'LOG_LEVEL: must be one of fatal, error, warn, info, debug, trace, silent',
      ],
    ];
    for (const [name, env, line] of cases) {
      it(`${name}: ${JSON.stringify(env[name])}`, () => {
        const lines = problems(env);
        expect(lines).toEqual([line]);
        for (const value of Object.values(env)) {
          if (value.includes('canary')) expect(lines.join('\n')).not.toContain(value);
        }
      });
    }
  });

  describe('a half-given part is one line naming what is missing', () => {
    const cases: [string, Record<string, string>, string][] = [
      [
        'a secret but no credentials',
        { GITHUB_WEBHOOK_SECRET: 'whsec-canary-1' },
        'GITHUB_WEBHOOK_SECRET: is set, but neither GITHUB_APP_ID + GITHUB_APP_PRIVATE_KEY nor GITHUB_TOKEN is: the PR bot could not reach GitHub',
      ],
      [
        'a token but no secret',
        { GITHUB_TOKEN: 'ghp_canaryTokenValue123' },
        'GITHUB_WEBHOOK_SECRET: is required with GitHub credentials: without it no delivery can be verified',
      ],
      [
        'an app id without its key',
        { GITHUB_WEBHOOK_SECRET: 's', GITHUB_APP_ID: '12' },
        'GITHUB_APP_PRIVATE_KEY: is required with GITHUB_APP_ID',
      ],
      [
        'a key without its app id',
        { GITHUB_WEBHOOK_SECRET: 's', GITHUB_APP_PRIVATE_KEY: PEM },
        'GITHUB_APP_ID: is required with GITHUB_APP_PRIVATE_KEY',
      ],
      [
        'both an app and a token',
        { ...TOKEN_SETTINGS, GITHUB_APP_ID: '12', GITHUB_APP_PRIVATE_KEY: PEM },
        'GITHUB_TOKEN: set either GITHUB_TOKEN or GITHUB_APP_ID + GITHUB_APP_PRIVATE_KEY, not both',
      ],
      [
        'a shared database without a fingerprint key',
        { DATABASE_URL: 'postgres://app@db/app' },
        'DRIFTWATCH_FINGERPRINT_KEY: is required with DATABASE_URL: every replica, and the CI jobs sharing that history, must fingerprint secrets with one key',
      ],
      [
        'an API URL alone',
        { GITHUB_API_URL: 'https://github.example.com/api/v3' },
        'GITHUB_API_URL: is set, but no other GitHub setting is: the PR bot is off',
      ],
    ];
    for (const [title, env, line] of cases) {
      it(title, () => {
        expect(problems(env)).toEqual([line]);
      });
    }
  });

  it('treats an empty variable as unset', () => {
    expect(loadServerSettings({ PORT: '', GITHUB_TOKEN: '', DATABASE_URL: '' }, { cwd: CWD }).github).toBeUndefined();
  });

  it('lists the values the logger must scrub', () => {
    const settings = loadServerSettings(
      { ...TOKEN_SETTINGS, DATABASE_URL: 'postgres://app:p%40ss@db/app', DRIFTWATCH_FINGERPRINT_KEY: 'ab'.repeat(32) },
      { cwd: CWD },
    );
    expect(secretSettingValues(settings)).toEqual([
      'ab'.repeat(32),
      'whsec-canary-1',
      'ghp_canaryTokenValue123',
      'p%40ss',
      'p@ss',
    ]);
  });
});

describe('driftwatch serve with a bad setting', () => {
  it('stops with one clear line on standard error and exit code 2, before opening anything', async () => {
    const result = await run(CWD, ['serve'], { PORT: 'eighty', GITHUB_TOKEN: 'ghp_canaryTokenValue123' });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      [
        'error: PORT: must be a port number from 0 to 65535 (got "eighty")',
        'error: GITHUB_WEBHOOK_SECRET: is required with GitHub credentials: without it no delivery can be verified',
        '',
      ].join('\n'),
    );
    expect(result.stdout).toBe('');
  });

  it('refuses -c naming a file that is not there', async () => {
    const result = await run(CWD, ['serve', '-c', 'nowhere.yaml']);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('error: nowhere.yaml: the config file does not exist\n');
  });
});
