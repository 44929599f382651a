import { createPrivateKey } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import * as z from 'zod';
import type { Env } from '../check/workspace.js';
import { ConfigError, type Problem } from '../errors.js';
import type { GithubAuth, GithubSettings } from '../github/settings.js';
import { DEFAULT_JOBS_SCHEMA } from '../jobs/pg-boss-queue.js';
import { fingerprintKeyProblem } from '../snapshot/fingerprint.js';
import {
  DEFAULT_HISTORY_SCHEMA,
  HISTORY_SCHEMA_PATTERN,
  isPostgresUrl,
  redactDatabaseUrl,
} from '../store/database-url.js';

/** Everything `driftwatch serve` reads from its environment, validated once at start. */
export interface ServerSettings {
  readonly port: number;
  readonly host: string;
  /** The PR bot and its webhook route; absent when no GitHub setting is given. */
  readonly github?: GithubSettings;
  /** The service's PostgreSQL (store and pg-boss); absent: the SQLite store and the in-process queue. */
  readonly database?: { readonly url: string; readonly from: DatabaseUrlVariable };
  /**
   * `DRIFTWATCH_FINGERPRINT_KEY`: the HMAC key secrets are fingerprinted with. Required with a database,
   * whose history replicas and CI jobs share; without one, the key file beside the store is used.
   */
  readonly fingerprintKey?: string;
  /** Where the SQLite store lives (`.driftwatch/driftwatch.db` inside it): beside `-c`, or the working directory. */
  readonly storeDir: string;
  /** pg-boss's schema. */
  readonly jobsSchema: string;
  /** The history's schema (`DRIFTWATCH_DATABASE_SCHEMA`, default `driftwatch`): never the database's `public`. */
  readonly historySchema: string;
  /** Analyses this process runs at a time. */
  readonly jobConcurrency: number;
  /** How long SIGTERM waits for running jobs before handing them back. */
  readonly drainTimeoutMs: number;
  readonly logLevel: LogLevel;
  /** The dashboard's pages; absent (off) unless `DRIFTWATCH_DASHBOARD_TOKEN` or `DRIFTWATCH_DASHBOARD_PUBLIC=true` is set. */
  readonly dashboard?: DashboardSettings;
}

/** Who may read the dashboard: whoever holds the token (login form or bearer header), or anyone who reaches it. */
export type DashboardSettings = { readonly access: 'token'; readonly token: string } | { readonly access: 'public' };

export type DatabaseUrlVariable = 'DRIFTWATCH_DATABASE_URL' | 'DATABASE_URL';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export const DEFAULT_PORT = 3000;
export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_GITHUB_API_URL = 'https://api.github.com';
export const DEFAULT_DRAIN_TIMEOUT_MS = 25_000;
export const DEFAULT_JOB_CONCURRENCY = 4;

/** The settings a bad value of which is safe to repeat in an error message; every other one may be a secret. */
const SHOWABLE = new Set([
  'PORT',
  'HOST',
  'GITHUB_APP_ID',
  'DRIFTWATCH_JOBS_SCHEMA',
  'DRIFTWATCH_DATABASE_SCHEMA',
  'DRIFTWATCH_JOB_CONCURRENCY',
  'DRIFTWATCH_DASHBOARD_PUBLIC',
]);

const Port = z
  .string()
  .regex(/^\d{1,5}$/, 'must be a port number from 0 to 65535')
  .transform(Number)
  .refine((port) => port <= 65_535, 'must be a port number from 0 to 65535');

/** An IPv4 or IPv6 address (without brackets, as listen() takes it) or a host name. */
const Host = z.string().regex(/^[A-Za-z0-9._:%-]+$/, 'must be an IP address or a host name to listen on');

const WebhookSecrets = z
  .string()
  .transform((text) => text.split(',').map((secret) => secret.trim()))
  .refine(
    (secrets) => secrets.every((secret) => secret.length > 0),
    'must be one secret, or several separated by commas while one is rotated, none of them empty',
  );

const AppId = z
  .string()
  .regex(/^[1-9]\d{0,15}$/, "must be the GitHub App's numeric id")
  .transform(Number);

/** PEM, with the literal `\n` escapes env files and secret stores often turn newlines into. */
const PrivateKey = z
  .string()
  .transform((text) => text.replaceAll('\\n', '\n').trim())
  .refine(isPrivateKeyPem, "must be the GitHub App's private key in PEM form (-----BEGIN RSA PRIVATE KEY-----…)");

const Token = z.string().regex(/^\S+$/, 'must be a token, without spaces');

const ApiUrl = z
  .string()
  .refine(isPlainHttpUrl, 'must be an http(s) URL without credentials, such as https://github.example.com/api/v3')
  .transform((text) => text.replace(/\/+$/, ''));

const DatabaseUrl = z
  .string()
  .refine(
    (text) => isPostgresUrl(text) && redactDatabaseUrl(text) !== undefined,
    'must be a postgres:// URL (the service keeps its history and its job queue there)',
  );

const JobsSchema = z
  .string()
  .regex(/^[a-z_][a-z0-9_]{0,49}$/, 'must be a lower-case SQL identifier of at most 50 characters');

const JobConcurrency = z
  .string()
  .regex(/^\d+$/, 'must be a whole number from 1 to 64')
  .transform(Number)
  .refine((count) => count >= 1 && count <= 64, 'must be a whole number from 1 to 64');

const DURATION = /^(\d+(?:\.\d+)?)(ms|s|m)$/;
const DrainTimeout = z
  .string()
  .regex(DURATION, "must be a duration with its unit, such as '25s' or '500ms'")
  .transform((text) => {
    const [, amount, unit] = DURATION.exec(text) as RegExpExecArray;
    return Math.round(Number(amount) * { ms: 1, s: 1000, m: 60_000 }[unit as 'ms' | 's' | 'm']);
  })
  .refine((ms) => ms >= 1000 && ms <= 3_600_000, 'must be between 1s and 60m');

/** The key the CLI accepts, checked the same way: the service must agree with the CI jobs' fingerprints. */
const FingerprintKey = z.string().superRefine((text, context) => {
  const problem = fingerprintKeyProblem(text);
  if (problem !== undefined) context.addIssue({ code: 'custom', message: problem });
});

const HistorySchema = z
  .string()
  .regex(
    HISTORY_SCHEMA_PATTERN,
    'must be a schema name: lower-case letters, digits and _, starting with a letter or _ (e.g. driftwatch)',
  );

/** Long enough that guessing it, at the login's rate limit, is hopeless; it also keys the session cookies. */
const DashboardToken = z
  .string()
  .regex(/^\S+$/, 'must be a token, without spaces')
  .refine((text) => text.length >= 16, 'must be at least 16 characters (e.g. openssl rand -hex 32)');

const DashboardPublic = z.enum(['true', 'false'], 'must be true or false');

const LogLevelSchema = z.enum(LOG_LEVELS, `must be one of ${LOG_LEVELS.join(', ')}`);

export interface LoadServerSettingsOptions {
  /** `serve -c FILE` as typed; the SQLite store lives beside it. */
  readonly configFile?: string;
  readonly cwd: string;
}

/**
 * Reads and validates the service's settings. Every setting that is malformed,
 * missing or given without its partner is one problem naming the variable;
 * they are thrown together as a `ConfigError`, one line each, without a value
 * that could be a secret. An empty variable counts as unset.
 */
export function loadServerSettings(env: Env, options: LoadServerSettingsOptions): ServerSettings {
  const problems: Problem[] = [];
  const read = <T>(name: string, schema: z.ZodType<T, string>): T | undefined => {
    const text = env[name];
    if (text === undefined || text === '') return undefined;
    const parsed = schema.safeParse(text);
    if (parsed.success) return parsed.data;
    const message = parsed.error.issues[0]?.message ?? 'is not valid';
    problems.push({ source: name, message: SHOWABLE.has(name) ? `${message} (got ${JSON.stringify(text)})` : message });
    return undefined;
  };
  const given = (name: string) => env[name] !== undefined && env[name] !== '';

  const port = read('PORT', Port) ?? DEFAULT_PORT;
  const host = read('HOST', Host) ?? DEFAULT_HOST;
  const github = readGithub(read, given, problems);
  const database = readDatabase(read, given);
  const fingerprintKey = read('DRIFTWATCH_FINGERPRINT_KEY', FingerprintKey);
  if (database !== undefined && !given('DRIFTWATCH_FINGERPRINT_KEY')) {
    problems.push({
      source: 'DRIFTWATCH_FINGERPRINT_KEY',
      message: `is required with ${database.from}: every replica, and the CI jobs sharing that history, must fingerprint secrets with one key`,
    });
  }
  const jobsSchema = read('DRIFTWATCH_JOBS_SCHEMA', JobsSchema) ?? DEFAULT_JOBS_SCHEMA;
  const historySchema = read('DRIFTWATCH_DATABASE_SCHEMA', HistorySchema) ?? DEFAULT_HISTORY_SCHEMA;
  const jobConcurrency = read('DRIFTWATCH_JOB_CONCURRENCY', JobConcurrency) ?? DEFAULT_JOB_CONCURRENCY;
  const drainTimeoutMs = read('DRIFTWATCH_DRAIN_TIMEOUT', DrainTimeout) ?? DEFAULT_DRAIN_TIMEOUT_MS;
  const logLevel = read('LOG_LEVEL', LogLevelSchema) ?? 'info';
  const dashboard = readDashboard(read, problems);

  let storeDir = options.cwd;
  if (options.configFile !== undefined) {
    const configFile = path.resolve(options.cwd, options.configFile);
    if (existsSync(configFile)) storeDir = path.dirname(configFile);
    else problems.push({ file: options.configFile, message: 'the config file does not exist' });
  }

  if (problems.length > 0) throw new ConfigError(problems);
  return {
    port,
    host,
    ...(github === undefined ? {} : { github }),
    ...(database === undefined ? {} : { database }),
    ...(fingerprintKey === undefined ? {} : { fingerprintKey }),
    storeDir,
    jobsSchema,
    historySchema,
    jobConcurrency,
    drainTimeoutMs,
    logLevel,
    ...(dashboard === undefined ? {} : { dashboard }),
  };
}

type Read = <T>(name: string, schema: z.ZodType<T, string>) => T | undefined;

/** The PR bot is on when any of its settings is given, and then all it needs must be. */
function readGithub(read: Read, given: (name: string) => boolean, problems: Problem[]): GithubSettings | undefined {
  const names = ['GITHUB_WEBHOOK_SECRET', 'GITHUB_APP_ID', 'GITHUB_APP_PRIVATE_KEY', 'GITHUB_TOKEN', 'GITHUB_API_URL'];
  if (!names.some(given)) return undefined;
  const before = problems.length;
  const webhookSecrets = read('GITHUB_WEBHOOK_SECRET', WebhookSecrets);
  const appId = read('GITHUB_APP_ID', AppId);
  const privateKey = read('GITHUB_APP_PRIVATE_KEY', PrivateKey);
  const token = read('GITHUB_TOKEN', Token);
  const apiUrl = read('GITHUB_API_URL', ApiUrl) ?? DEFAULT_GITHUB_API_URL;
  // A malformed setting is reported once, as malformed; only well-formed ones are checked for their partners.
  const malformed = new Set(problems.slice(before).map((problem) => problem.source));
  const present = (name: string) => given(name) && !malformed.has(name);
  const app = given('GITHUB_APP_ID') || given('GITHUB_APP_PRIVATE_KEY');

  if (present('GITHUB_APP_ID') && !given('GITHUB_APP_PRIVATE_KEY')) {
    problems.push({ source: 'GITHUB_APP_PRIVATE_KEY', message: 'is required with GITHUB_APP_ID' });
  }
  if (present('GITHUB_APP_PRIVATE_KEY') && !given('GITHUB_APP_ID')) {
    problems.push({ source: 'GITHUB_APP_ID', message: 'is required with GITHUB_APP_PRIVATE_KEY' });
  }
  if (present('GITHUB_TOKEN') && app) {
    problems.push({
      source: 'GITHUB_TOKEN',
      message: 'set either GITHUB_TOKEN or GITHUB_APP_ID + GITHUB_APP_PRIVATE_KEY, not both',
    });
  }
  if (present('GITHUB_WEBHOOK_SECRET') && !app && !given('GITHUB_TOKEN')) {
    problems.push({
      source: 'GITHUB_WEBHOOK_SECRET',
      message:
        'is set, but neither GITHUB_APP_ID + GITHUB_APP_PRIVATE_KEY nor GITHUB_TOKEN is: the PR bot could not reach GitHub',
    });
  }
  if (!given('GITHUB_WEBHOOK_SECRET') && (app || given('GITHUB_TOKEN'))) {
    problems.push({
      source: 'GITHUB_WEBHOOK_SECRET',
      message: 'is required with GitHub credentials: without it no delivery can be verified',
    });
  }
  if (present('GITHUB_API_URL') && !given('GITHUB_WEBHOOK_SECRET') && !app && !given('GITHUB_TOKEN')) {
    problems.push({ source: 'GITHUB_API_URL', message: 'is set, but no other GitHub setting is: the PR bot is off' });
  }
  if (problems.length > before || webhookSecrets === undefined) return undefined;

  let auth: GithubAuth;
  if (appId !== undefined && privateKey !== undefined) auth = { kind: 'app', appId, privateKey };
  else if (token !== undefined) auth = { kind: 'token', token };
  else return undefined;
  return { webhookSecrets, auth, apiUrl };
}

/** Off unless asked for: a token to log in with, or a deliberate `DRIFTWATCH_DASHBOARD_PUBLIC=true`, never both. */
function readDashboard(read: Read, problems: Problem[]): DashboardSettings | undefined {
  const token = read('DRIFTWATCH_DASHBOARD_TOKEN', DashboardToken);
  const open = read('DRIFTWATCH_DASHBOARD_PUBLIC', DashboardPublic) === 'true';
  if (open && token !== undefined) {
    problems.push({
      source: 'DRIFTWATCH_DASHBOARD_PUBLIC',
      message:
        'is true while DRIFTWATCH_DASHBOARD_TOKEN is set: a public dashboard asks for no token; unset one of them',
    });
    return undefined;
  }
  if (token !== undefined) return { access: 'token', token };
  return open ? { access: 'public' } : undefined;
}

/** `DRIFTWATCH_DATABASE_URL`, then `DATABASE_URL`: in its own deployment the service owns its database. */
function readDatabase(read: Read, given: (name: string) => boolean): ServerSettings['database'] {
  const from: DatabaseUrlVariable = given('DRIFTWATCH_DATABASE_URL') ? 'DRIFTWATCH_DATABASE_URL' : 'DATABASE_URL';
  const url = read(from, DatabaseUrl);
  return url === undefined ? undefined : { url, from };
}

/** Every value of the settings that must never be shown: the logger scrubs them from every line. */
export function secretSettingValues(settings: ServerSettings): string[] {
  const secrets: string[] = [];
  const { github, database } = settings;
  if (settings.fingerprintKey !== undefined) secrets.push(settings.fingerprintKey);
  if (settings.dashboard?.access === 'token') secrets.push(settings.dashboard.token);
  if (github !== undefined) {
    secrets.push(...github.webhookSecrets);
    if (github.auth.kind === 'token') secrets.push(github.auth.token);
    else secrets.push(github.auth.privateKey);
  }
  if (database !== undefined) {
    try {
      const url = new URL(database.url);
      if (url.password !== '') secrets.push(url.password, decodeURIComponent(url.password));
    } catch {
      // Validated as parsable when the settings were read.
    }
  }
  return secrets;
}

function isPrivateKeyPem(text: string): boolean {
  if (!/^-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(text)) return false;
  try {
    createPrivateKey(text);
    return true;
  } catch {
    return false;
  }
}

function isPlainHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.username === '' && url.password === '';
  } catch {
    return false;
  }
}
