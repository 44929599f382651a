import { execFileSync } from 'node:child_process';
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPORT_FORMATS } from '../../src/report/index.js';
import { TEST_FINGERPRINT_KEY } from '../helpers/fingerprint-key.js';
import { run } from './io.js';

/**
 * Canary values planted in every way a secret reaches driftwatch: by key
 * name, by value shape, as a URL password, in a Kubernetes Secret (base64 and
 * stringData), in a file that fails to parse. None may appear in any output.
 */
const CANARIES = {
  byName: 'canary-by-name-7f3a91',
  byShape: 'ghp_CANARYcanaryCANARYcanaryCANARY123456',
  urlPassword: 'canary-url-pass-55e1',
  secretData: 'canary-k8s-data-0b7c',
  stringData: 'canary-k8s-stringdata-91d4',
  brokenFile: 'canary-in-broken-file-3c2e',
};

let dir = '';

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'driftwatch-canary-'));
  const files: Record<string, string> = {
    'driftwatch.yaml': [
      'version: 1',
      'environments:',
      '  staging: {sources: [{path: staging.env}, {path: staging-secret.yaml}]}',
      '  production: {sources: [{path: production.env}, {path: production-secret.yaml}]}',
      'rules: [driftwatch:recommended, rules.yaml]',
    ].join('\n'),
    'rules.yaml': [
      'rules:',
      '  - {id: all-equal, kind: equal, keys: ["**"]}',
      '  - {id: all-match, kind: match, keys: ["**"], pattern: "^nothing-matches-this$"}',
      '  - {id: no-api-token, kind: forbid, keys: ["*TOKEN*"]}',
    ].join('\n'),
    'staging.env': [
      `API_PASSWORD=${CANARIES.byName}`,
      `NOTES=${CANARIES.byShape}`,
      `DATABASE_URL=postgres://app:${CANARIES.urlPassword}@db:5432/app`,
      'GITHUB_TOKEN=${FROM_VAULT}',
    ].join('\n'),
    'production.env': [
      `API_PASSWORD=${CANARIES.byName}`,
      `NOTES=${CANARIES.byShape}x`,
      `DATABASE_URL=postgres://app:${CANARIES.urlPassword}@db.prod:5432/app`,
    ].join('\n'),
    'staging-secret.yaml': [
      'apiVersion: v1',
      'kind: Secret',
      'metadata: {name: app}',
      `data: {token: ${Buffer.from(CANARIES.secretData).toString('base64')}}`,
      `stringData: {extra: ${CANARIES.stringData}}`,
    ].join('\n'),
    'production-secret.yaml': [
      'apiVersion: v1',
      'kind: Secret',
      'metadata: {name: app}',
      `data: {token: ${Buffer.from(`${CANARIES.secretData}-prod`).toString('base64')}}`,
    ].join('\n'),
  };
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

function expectNoCanary(text: string, where: string) {
  for (const [kind, canary] of Object.entries(CANARIES)) {
    expect(text.includes(canary), `${kind} canary in ${where}`).toBe(false);
  }
}

describe('secrets never leave', () => {
  it('appear in no report, diff or snapshot, in any format', async () => {
    const commands = [
      ...REPORT_FORMATS.map((format) => ['check', '--format', format]),
      ['diff', 'staging', 'production'],
      ['diff', 'staging', 'production', '--format', 'json'],
      ['snapshot', '--all'],
      ['snapshot', '--all', '--format', 'json'],
    ];
    for (const args of commands) {
      const result = await run(dir, args, { FROM_VAULT: 'x' });
      expect(result.code, args.join(' ')).not.toBe(2);
      expectNoCanary(result.stdout + result.stderr, args.join(' '));
    }
  });

  it('are still compared: a shared secret is found by fingerprint', async () => {
    const result = await run(dir, ['check', '--format', 'json']);
    const shared = JSON.parse(result.stdout).findings.filter(
      (finding: { rule: string }) => finding.rule === 'no-shared-secrets',
    );
    expect(shared.map((finding: { key: string }) => finding.key)).toEqual(['API_PASSWORD']);
    expect(shared[0].values.staging).toMatch(/^fp:[0-9a-f]{8}$/);
  });

  it('do not leak through parse errors or files written by --format=FILE and baseline', async () => {
    writeFileSync(path.join(dir, 'broken.yaml'), `password: ${CANARIES.brokenFile}\n  bad: [indent\n`);
    writeFileSync(
      path.join(dir, 'broken.yaml.driftwatch.yaml'),
      'version: 1\nenvironments:\n  x: {sources: [{path: broken.yaml}]}\n',
    );
    const broken = await run(dir, ['check', '-c', 'broken.yaml.driftwatch.yaml', '--format', 'json']);
    expect(broken.code).toBe(2);
    expectNoCanary(broken.stdout + broken.stderr, 'parse error');

    await run(dir, ['check', '--format', `sarif=${path.join(dir, 'out.sarif')}`]);
    await run(dir, ['check', '--format', `html=${path.join(dir, 'out.html')}`]);
    await run(dir, ['baseline', '--output', path.join(dir, 'baseline.json')]);
    for (const file of ['out.sarif', 'out.html', 'baseline.json']) {
      expectNoCanary(readFileSync(path.join(dir, file), 'utf8'), file);
    }
  });

  it('keep the generated fingerprint key private to its owner', async () => {
    const result = await run(dir, ['snapshot', '--env', 'staging'], { DRIFTWATCH_FINGERPRINT_KEY: '' });
    expect(result.code).toBe(0);
    const keyFile = path.join(dir, '.driftwatch', 'fingerprint.key');
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(readFileSync(keyFile, 'utf8').trim()).toMatch(/^[0-9a-f]{64}$/);
    // A second run reuses the key: fingerprints stay comparable over time.
    const again = await run(dir, ['snapshot', '--env', 'staging'], { DRIFTWATCH_FINGERPRINT_KEY: '' });
    expect(again.stdout.replace(/taken [^)]+/, '')).toBe(result.stdout.replace(/taken [^)]+/, ''));
    expect(readdirSync(path.join(dir, '.driftwatch')).sort()).toEqual(['.gitignore', 'fingerprint.key']);
  });
});

/**
 * One canary per leak of issue 8, each planted the way it was reproduced, and
 * looked for in every output: every check format, snapshot and diff (text and
 * JSON), history (text and JSON), standard error, the SQLite database's bytes
 * and, with DRIFTWATCH_TEST_DATABASE_URL, every PostgreSQL row.
 */
const LEAKS = {
  inheritedMap: 'canary-inherited-admin-1a2b',
  inheritedSecrets: 'canary-inherited-stripe-3c4d',
  inheritedList: 'canary-inherited-list-5e6f',
  inheritedKeys: 'canary-inherited-signing-7a8b',
  k8sEnv: 'canary-k8s-env-9c0d',
  mixedSecret: 'canary-mixed-secret-1e2f',
  jsonSecret: 'canary-json-secret-3a4b',
  bearer: 'canaryBearer0123456789abcdef',
  basicPassword: 'canary-basic-5c6d',
  accountKey: 'Y2FuYXJ5QWNjb3VudEtleTdlOGY=',
  urlUser: '0123456789abcdefcanary0123456789',
  springJson: 'canary-spring-json-5a6b',
  nestedJson: 'canary-nested-json-8e9f',
  smtpPw: 'canary-smtp-pw-7c8d',
  dbPass: 'canary-db-pass-9e0f',
  declared: 'canary-declared-1a3c',
  vault: '63616e6172792d7661756c742d6865783132333435',
  sops: 'Y2FuYXJ5LXNvcHMtZGF0YQ',
  neverShape: 'ghp_NEVERcanaryNEVERcanaryNEVER12345678',
  ignoredFile: 'canary-ignored-env-local-2b4d',
} as const;

/** Also the base64 forms a Secret's data or a Basic header carries. */
const LEAK_FORMS: [string, string][] = [
  ...Object.entries(LEAKS),
  ['mixedSecret (base64)', Buffer.from(LEAKS.mixedSecret).toString('base64')],
  ['jsonSecret (base64)', Buffer.from(LEAKS.jsonSecret).toString('base64')],
  ['basic (base64)', Buffer.from(`deploy:${LEAKS.basicPassword}`).toString('base64')],
];

function expectNoLeak(text: string | Buffer, where: string, forms: readonly [string, string][] = LEAK_FORMS) {
  for (const [kind, canary] of forms) expect(text.includes(canary), `${kind} canary in ${where}`).toBe(false);
}

/** git without the variables a hook or CI wrapper might set. */
function git(cwd: string, ...args: string[]) {
  const env: NodeJS.ProcessEnv = { ...process.env, GIT_AUTHOR_NAME: 'test', GIT_AUTHOR_EMAIL: 'test@example.com' };
  for (const name of ['GIT_DIR', 'GIT_WORK_TREE', 'GIT_INDEX_FILE']) delete env[name];
  execFileSync('git', ['-c', 'user.name=test', '-c', 'user.email=test@example.com', ...args], { cwd, env });
}

function dotenv(env: 'staging' | 'production'): string {
  return [
    `SMTP_PW=${LEAKS.smtpPw}-${env}`,
    `DB_PASS=${LEAKS.dbPass}`,
    `AUTH_HEADER=Bearer ${LEAKS.bearer}`,
    `PROXY_AUTHORIZATION=Basic ${Buffer.from(`deploy:${LEAKS.basicPassword}`).toString('base64')}`,
    `AZURE_STORAGE=DefaultEndpointsProtocol=https;AccountName=acme;AccountKey=${LEAKS.accountKey};EndpointSuffix=core.windows.net`,
    `SENTRY_URL=https://${LEAKS.urlUser}@o123.ingest.sentry.io/${env === 'staging' ? 41 : 42}`,
    `SPRING_APPLICATION_JSON='{"spring":{"datasource":{"password":"${LEAKS.springJson}-${env}"}}}'`,
    `APP_SETTINGS_JSON='{"secrets":{"stripe":"${LEAKS.nestedJson}"}}'`,
    `APP_BUILD_SEED=${LEAKS.declared}`,
    `FEATURE_GITHUB_TOKEN=${LEAKS.neverShape}`,
    `DB_PASSWORD=${env === 'staging' ? '1234' : '7391'}`,
    'FF_AUTH_V2="true"',
    'HMPPS_SQS_USE_WEB_TOKEN="true"',
    `API_BASE_URL_HMPPS_AUTH=https://sign-in${env === 'staging' ? '-preprod' : ''}.hmpps.service.justice.gov.uk/auth`,
  ].join('\n');
}

const VALUE_FILES: Record<string, string> = {
  'driftwatch.yaml': [
    'version: 1',
    'environments:',
    '  staging: {sources: [{path: app.yaml}, {path: k8s.yaml}, {path: mixed.yaml}, {path: secret.json}, {path: staging.env}, {path: .env.local}]}',
    '  production: {sources: [{path: app.yaml}, {path: k8s.yaml}, {path: mixed.yaml}, {path: secret.json}, {path: production.env}]}',
    'rules: [driftwatch:recommended, rules.yaml]',
    'secrets:',
    '  always: [APP_BUILD_SEED]',
    '  never: ["FEATURE_*"]',
  ].join('\n'),
  'rules.yaml': [
    'rules:',
    '  - {id: all-equal, kind: equal, keys: ["**"]}',
    '  - {id: all-match, kind: match, keys: ["**"], pattern: "^nothing-matches-this$"}',
    '  - {id: no-tokens, kind: forbid, keys: ["*TOKEN*", "**.api_token"]}',
    '  - {id: tokens-differ, kind: differ, keys: ["*_TOKEN", "FF_*"]}',
  ].join('\n'),
  '.gitignore': '.env.local\n.driftwatch/\n',
  '.env.local': `LOCAL_API_TOKEN=${LEAKS.ignoredFile}\n`,
  'app.yaml': [
    'password:',
    `  admin: ${LEAKS.inheritedMap}`,
    'secrets:',
    `  stripe: ${LEAKS.inheritedSecrets}`,
    `passwords: [${LEAKS.inheritedList}]`,
    'keys:',
    `  signing: ${LEAKS.inheritedKeys}`,
    'db_password: !vault |',
    '  $ANSIBLE_VAULT;1.1;AES256',
    `  ${LEAKS.vault}`,
    `api_token: ENC[AES256_GCM,data:${LEAKS.sops},iv:aXY=,tag:dGFn,type:str]`,
  ].join('\n'),
  'k8s.yaml': [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata: {name: api}',
    'spec:',
    '  template:',
    '    spec:',
    '      containers:',
    '        - name: api',
    '          env:',
    '            - name: DB_PASSWORD',
    `              value: ${LEAKS.k8sEnv}`,
    '            - name: LOG_LEVEL',
    '              value: info',
  ].join('\n'),
  'mixed.yaml': [
    'replicas: 3',
    '---',
    'apiVersion: v1',
    'kind: Secret',
    'metadata: {name: mixed}',
    `data: {MIXED_PASSWORD: ${Buffer.from(LEAKS.mixedSecret).toString('base64')}}`,
  ].join('\n'),
  'secret.json': JSON.stringify(
    {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'json' },
      data: { token: Buffer.from(LEAKS.jsonSecret).toString('base64') },
    },
    null,
    2,
  ),
  'staging.env': dotenv('staging'),
  'production.env': dotenv('production'),
};

const postgresUrl = process.env.DRIFTWATCH_TEST_DATABASE_URL;

describe('secrets never leave: every leak of issue 8, in every output', () => {
  let repo = '';
  let admin: pg.Client | undefined;
  let schema: string | undefined;
  let postgresEnv: Record<string, string> = {};

  beforeAll(async () => {
    repo = mkdtempSync(path.join(tmpdir(), 'driftwatch-leaks-'));
    for (const [name, text] of Object.entries(VALUE_FILES)) writeFileSync(path.join(repo, name), text);
    git(repo, 'init', '-q');
    git(repo, 'add', '-A');
    git(repo, 'commit', '-q', '-m', 'config');
    if (postgresUrl) {
      admin = new pg.Client({ connectionString: postgresUrl });
      await admin.connect();
      schema = `dw_leaks_${randomBytes(6).toString('hex')}`;
      await admin.query(`create schema ${schema}`);
      postgresEnv = { DRIFTWATCH_DATABASE_URL: postgresUrl, DRIFTWATCH_DATABASE_SCHEMA: schema };
    }
  });

  afterAll(async () => {
    rmSync(repo, { recursive: true, force: true });
    if (admin && schema) await admin.query(`drop schema ${schema} cascade`);
    await admin?.end();
  });

  it('appear in no check format, snapshot, diff or stderr, and are still there to compare', async () => {
    const commands = [
      ...REPORT_FORMATS.map((format) => ['check', '--format', format]),
      ['snapshot', '--all'],
      ['snapshot', '--all', '--format', 'json'],
      ['diff', 'staging', 'production'],
      ['diff', 'staging', 'production', '--format', 'json'],
    ];
    for (const args of commands) {
      const result = await run(repo, args);
      expect(result.code, `${args.join(' ')}: ${result.stderr}`).not.toBe(2);
      expectNoLeak(result.stdout + result.stderr, args.join(' '));
    }

    const snapshot = (await run(repo, ['snapshot', '--env', 'staging'])).stdout;
    const line = (key: string) => snapshot.split('\n').find((text) => text.startsWith(`${key} =`)) ?? '';
    for (const key of ['password.admin', 'secrets.stripe', 'passwords[0]', 'keys.signing', 'SMTP_PW', 'DB_PASS']) {
      expect(line(key), key).toMatch(/= fp:[0-9a-f]{8} {2}\[secret: key-name\]/);
    }
    expect(line('Deployment/api.spec.template.spec.containers.api.env.DB_PASSWORD.value')).toContain(
      '[secret: key-name]',
    );
    expect(line('Deployment/api.spec.template.spec.containers.api.env.LOG_LEVEL.value')).toContain('= info');
    expect(line('Secret/mixed.data.MIXED_PASSWORD')).toContain('[secret: kubernetes-secret]');
    expect(line('replicas')).toContain('= 3');
    expect(line('Secret/json.data.token')).toContain('[secret: kubernetes-secret]');
    for (const key of [
      'AUTH_HEADER',
      'PROXY_AUTHORIZATION',
      'AZURE_STORAGE',
      'SPRING_APPLICATION_JSON',
      'FEATURE_GITHUB_TOKEN',
    ]) {
      expect(line(key), key).toContain('[secret: value-shape]');
    }
    expect(line('APP_SETTINGS_JSON')).toContain('[secret: key-name]');
    expect(line('SENTRY_URL')).toMatch(
      /= https:\/\/\*\*\*\*@o123\.ingest\.sentry\.io\/41 \(fp:[0-9a-f]{8}\) {2}\[secret: url-token\]/,
    );
    expect(line('APP_BUILD_SEED')).toContain('[secret: declared]');
    expect(line('db_password')).toContain('[secret: encrypted]');
    expect(line('api_token')).toContain('[secret: encrypted]');
    // The false alarms of issue 9 show their values.
    expect(line('FF_AUTH_V2')).toBe('FF_AUTH_V2 = true  # staging.env:12');
    expect(line('HMPPS_SQS_USE_WEB_TOKEN')).toBe('HMPPS_SQS_USE_WEB_TOKEN = true  # staging.env:13');
  });

  it('are compared by fingerprint, and flagged as plain text only in tracked files and when not encrypted', async () => {
    const report = JSON.parse((await run(repo, ['check', '--format', 'json'])).stdout);
    const keysOf = (rule: string) =>
      report.findings
        .filter((finding: { rule: string }) => finding.rule === rule)
        .map((finding: { key: string }) => finding.key);
    expect(keysOf('no-shared-secrets')).toContain('password.admin');
    expect(keysOf('no-shared-secrets')).toContain('DB_PASS');
    expect(keysOf('no-shared-secrets')).not.toContain('SMTP_PW');
    // A switch called *_TOKEN is not a shared token; the same GitHub token in both environments is.
    expect(keysOf('tokens-differ')).toEqual(['FEATURE_GITHUB_TOKEN']);
    const plaintext = keysOf('no-plaintext-secrets');
    expect(plaintext).toContain('SMTP_PW');
    expect(plaintext).toContain('Secret/json.data.token');
    expect(plaintext).not.toContain('LOCAL_API_TOKEN');
    expect(plaintext).not.toContain('db_password');
    expect(plaintext).not.toContain('api_token');
    expect(plaintext).not.toContain('FF_AUTH_V2');

    const diff = (await run(repo, ['diff', 'staging', 'production'])).stdout;
    expect(diff).toContain('https://sign-in-preprod.hmpps.service.justice.gov.uk/auth');
    expect(diff).toContain('https://sign-in.hmpps.service.justice.gov.uk/auth');
  });

  it('cannot be brute-forced back from the source digests', async () => {
    const output = (await run(repo, ['snapshot', '--env', 'production', '--format', 'json'])).stdout;
    const source = JSON.parse(output).snapshots[0].sources.find(
      (status: { source: string }) => status.source === 'production.env',
    );
    const text = VALUE_FILES['production.env'] as string;
    const guesses = Array.from({ length: 10_000 }, (_, n) =>
      text.replace('DB_PASSWORD=7391', `DB_PASSWORD=${String(n).padStart(4, '0')}`),
    );
    const unkeyed = new Set(guesses.map((guess) => createHash('sha256').update(guess).digest('hex')));
    expect(unkeyed.has(source.digest)).toBe(false);
    // The digest is of that very text, keyed: with the key, the guess is found, so the test would notice a regression.
    const keyed = guesses.findIndex(
      (guess) =>
        createHmac('sha256', Buffer.from(TEST_FINGERPRINT_KEY, 'hex')).update(guess).digest('hex') === source.digest,
    );
    expect(keyed).toBe(7391);
  });

  it('appear in no history and no database row, SQLite or PostgreSQL', async () => {
    const backends: [string, Record<string, string>][] = [['sqlite', {}]];
    if (postgresUrl) backends.push(['postgres', postgresEnv]);
    for (const [backend, env] of backends) {
      const stored = await run(repo, ['snapshot', '--all', '--store'], env);
      expect(stored.code, `${backend}: ${stored.stderr}`).toBe(0);
      expect(stored.stdout).toMatch(/^stored staging: /m);
      for (const args of [['history'], ['history', '--format', 'json'], ['history', 'password.admin']]) {
        const history = await run(repo, args, env);
        expect(history.code).toBe(0);
        expect(history.stdout).toContain('password.admin');
        expectNoLeak(history.stdout + history.stderr, `${backend} ${args.join(' ')}`);
      }
    }

    const stateDir = path.join(repo, '.driftwatch');
    const files = readdirSync(stateDir).filter((name) => name.startsWith('driftwatch.db'));
    expect(files).toContain('driftwatch.db');
    const production = VALUE_FILES['production.env'] as string;
    for (const file of files) {
      const bytes = readFileSync(path.join(stateDir, file));
      expectNoLeak(bytes, `.driftwatch/${file}`);
      expect(bytes.includes(createHash('sha256').update(production).digest('hex')), file).toBe(false);
    }
    if (admin && schema) {
      const tables = await admin.query<{ table_name: string }>(
        'select table_name from information_schema.tables where table_schema = $1',
        [schema],
      );
      expect(tables.rows.length).toBeGreaterThanOrEqual(3);
      let rows = 0;
      for (const { table_name } of tables.rows) {
        const result = await admin.query<{ row: string }>(`select t::text as row from ${schema}."${table_name}" t`);
        rows += result.rows.length;
        for (const { row } of result.rows) expectNoLeak(row, `postgres ${table_name}`);
      }
      expect(rows).toBeGreaterThan(0);
    }
  });
});

/** Canaries in what failing sources say: a command's stderr, an HTTP error page, a redirect's Location. */
const ERROR_LEAKS = {
  stderrBearer: 'canaryStderrBearer0123456789',
  stderrPassword: 'canary-stderr-pw-4f6a',
  stderrUrlPassword: 'canary-stderr-url-8b0c',
  errorBody: 'canary-error-body-2d4e',
  locationUser: '0123456789abcdefcanaryLocation01',
  locationQuery: 'canary-location-query-6f8a',
  argument: 'canary-argument-0c1e',
} as const;

describe('secrets never leave: error texts are scrubbed in every output', () => {
  let dir = '';
  let server: Server;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'driftwatch-error-leaks-'));
    server = createServer((request, response) => {
      if (request.url === '/redirect') {
        response.writeHead(302, {
          location: `https://${ERROR_LEAKS.locationUser}@cdn.acme.io/next?sig=${ERROR_LEAKS.locationQuery}`,
        });
        response.end();
        return;
      }
      response.writeHead(500, { 'content-type': 'application/json' });
      response.end(`{"error": "invalid credentials", "token": "${ERROR_LEAKS.errorBody}"}`);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    writeFileSync(
      path.join(dir, 'fail.js'),
      [
        `process.stderr.write('> GET /config HTTP/1.1\\n> Authorization: Bearer ${ERROR_LEAKS.stderrBearer}\\n');`,
        `process.stderr.write('error: login failed for password=${ERROR_LEAKS.stderrPassword}\\n');`,
        `process.stderr.write('fatal: https://deploy:${ERROR_LEAKS.stderrUrlPassword}@git.acme.io/app.git not found\\n');`,
        'process.exit(3);',
      ].join('\n'),
    );
    writeFileSync(
      path.join(dir, 'driftwatch.yaml'),
      [
        'version: 1',
        'environments:',
        `  staging: {sources: [{command: [${JSON.stringify(process.execPath)}, fail.js, "--api-token=${ERROR_LEAKS.argument}"]}]}`,
        `  production: {sources: [{url: "http://127.0.0.1:${port}/error"}, {url: "http://127.0.0.1:${port}/redirect"}]}`,
      ].join('\n'),
    );
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  const forms = Object.entries(ERROR_LEAKS);

  it('keep every message, with the secrets in it masked', async () => {
    const commands = [
      ...REPORT_FORMATS.map((format) => ['check', '--format', format]),
      ['snapshot', '--all'],
      ['snapshot', '--all', '--format', 'json'],
      ['snapshot', '--all', '--store'],
      ['diff', 'staging', 'production'],
      ['diff', 'staging', 'production', '--format', 'json'],
    ];
    for (const args of commands) {
      const result = await run(dir, args);
      expect(result.code, args.join(' ')).toBe(2);
      expectNoLeak(result.stdout + result.stderr, args.join(' '), forms);
    }

    const report = JSON.parse((await run(dir, ['check', '--format', 'json'])).stdout);
    const messages = report.errors.map((error: { message: string }) => error.message).join('\n');
    expect(messages).toContain('exited with code 3; stderr ends with:');
    expect(messages).toContain('> Authorization: Bearer ****');
    expect(messages).toContain('error: login failed for password=****');
    expect(messages).toContain('fatal: https://deploy:****@git.acme.io/app.git not found');
    expect(messages).toContain('HTTP 500 Internal Server Error: {"error": "invalid credentials", "token": "****"}');
    expect(messages).toMatch(/HTTP 302 Found: redirected to https:\/\/\*\*\*\*@cdn\.acme\.io\/next\?sig=\*\*\*/);
    expect(report.errors.map((error: { source: string }) => error.source)).toContain(
      `command: ${process.execPath} fail.js --api-token=****`,
    );
  });
});

describe('secrets: plain text only in files under version control', () => {
  let dir = '';
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'driftwatch-untracked-'));
    writeFileSync(
      path.join(dir, 'driftwatch.yaml'),
      'version: 1\nenvironments:\n  local: {sources: [{path: .env}, {path: .env.local}]}\n',
    );
    writeFileSync(path.join(dir, '.env'), 'API_TOKEN=9f8e7d6c5b4a39281706f5e4d3c2b1a0\n');
    writeFileSync(path.join(dir, '.env.local'), 'LOCAL_TOKEN=0a1b2c3d4e5f60718293a4b5c6d7e8f9\n');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const plaintextKeys = async () => {
    const report = JSON.parse((await run(dir, ['check', '--format', 'json'])).stdout);
    return report.findings
      .filter((finding: { kind: string }) => finding.kind === 'plaintext')
      .map((finding: { key: string }) => finding.key);
  };

  it('says nothing outside a git work tree, and only of tracked files inside one', async () => {
    expect(await plaintextKeys()).toEqual([]);
    writeFileSync(path.join(dir, '.gitignore'), '.env.local\n.driftwatch/\n');
    git(dir, 'init', '-q');
    git(dir, 'add', '-A');
    // Staged counts: it goes to the repository with the next commit.
    expect(await plaintextKeys()).toEqual(['API_TOKEN']);
    git(dir, 'commit', '-q', '-m', 'config');
    expect(await plaintextKeys()).toEqual(['API_TOKEN']);
  });
});
