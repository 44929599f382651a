import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { historyDatabase } from '../../src/check/open-history.js';
import { parseConfig } from '../../src/config/load.js';
import { ConfigError } from '../../src/errors.js';
import { SQLITE_STORE_PATH } from '../../src/store/open-store.js';
import { StoreError } from '../../src/store/store-error.js';
import { run } from '../cli/io.js';

const postgresUrl = process.env.DRIFTWATCH_TEST_DATABASE_URL;
const PASSWORD = 'canary-history-pass-71c3';

function configWith(history: string) {
  return parseConfig(
    `version: 1\nenvironments:\n  a: {sources: [{path: a.env}]}\n${history}`,
    '/repo/driftwatch.yaml',
    'driftwatch.yaml',
  );
}

function configProblems(history: string) {
  try {
    configWith(history);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

const temporary: string[] = [];
function project(config: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'driftwatch-open-history-'));
  temporary.push(dir);
  writeFileSync(path.join(dir, 'driftwatch.yaml'), config);
  writeFileSync(path.join(dir, 'a.env'), 'A=1\n');
  return dir;
}
afterEach(() => {
  for (const dir of temporary.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const CONFIG = 'version: 1\nenvironments:\n  a: {sources: [{path: a.env}]}\n';

describe('check/open-history: where the CLI keeps history', () => {
  it("never reads DATABASE_URL, the application's own database", () => {
    const config = configWith('');
    expect(historyDatabase(config, {})).toBeUndefined();
    expect(historyDatabase(config, { DATABASE_URL: 'postgres://app@db/app' })).toBeUndefined();
    expect(historyDatabase(config, { DATABASE_URL: 'postgres://app@db/app', DRIFTWATCH_DATABASE_URL: '' })).toBe(
      undefined,
    );
  });

  it('uses DRIFTWATCH_DATABASE_URL, then history.database, in the schema history.schema names (driftwatch by default)', () => {
    expect(historyDatabase(configWith(''), { DRIFTWATCH_DATABASE_URL: 'postgres://dw@db/ops' })).toEqual({
      url: 'postgres://dw@db/ops',
      name: 'DRIFTWATCH_DATABASE_URL',
      schema: 'driftwatch',
    });
    const configured = configWith('history:\n  database: postgres://dw@${DB_HOST}/ops\n  schema: drift_history\n');
    expect(historyDatabase(configured, { DB_HOST: 'db.internal:6432' })).toEqual({
      url: 'postgres://dw@db.internal:6432/ops',
      name: 'history.database in driftwatch.yaml',
      schema: 'drift_history',
    });
    // The variable wins, so that one job can point elsewhere without editing what is committed.
    expect(historyDatabase(configured, { DRIFTWATCH_DATABASE_URL: 'postgres://other@h/x', DB_HOST: 'db' })?.url).toBe(
      'postgres://other@h/x',
    );
  });

  it('fills ${VAR}s from the environment, percent-encoding them inside the user and password', () => {
    const config = configWith(
      'history: {database: "postgres://${DB_USER}:${DB_PASSWORD}@db:5432/ops?sslmode=require"}\n',
    );
    expect(historyDatabase(config, { DB_USER: 'drift', DB_PASSWORD: 'p@ss/w:rd' })?.url).toBe(
      'postgres://drift:p%40ss%2Fw%3Ard@db:5432/ops?sslmode=require',
    );
    const whole = configWith('history: {database: "${OPS_DATABASE_URL}"}\n');
    expect(historyDatabase(whole, { OPS_DATABASE_URL: 'postgres://u:p@h/d' })?.url).toBe('postgres://u:p@h/d');
  });

  it('names the variable that is not set rather than connecting with an empty password', () => {
    const config = configWith('history: {database: "postgres://drift:${DB_PASSWORD}@db/ops"}\n');
    let error: unknown;
    try {
      historyDatabase(config, { DB_PASSWORD: '' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(StoreError);
    expect((error as StoreError).message).toBe(
      'history.database in driftwatch.yaml: uses ${DB_PASSWORD}, which is not set in the environment',
    );
  });

  it('refuses a password written in driftwatch.yaml, a URL of another database and a bad schema name, with their line', () => {
    expect(configProblems(`history: {database: "postgres://drift:${PASSWORD}@db/ops"}\n`)).toEqual([
      expect.objectContaining({ file: 'driftwatch.yaml', line: 4, column: 21 }),
    ]);
    const [literal] = configProblems(`history:\n  database: postgres://drift@db/ops?password=${PASSWORD}\n`);
    expect(literal?.message).toMatch(/^history\.database: write the password as a variable/);
    expect(literal?.message).not.toContain(PASSWORD);
    expect(configProblems('history: {database: "mysql://app@db/app"}\n')[0]?.message).toBe(
      'history.database: must be a postgres:// or postgresql:// URL, or a ${VARIABLE} that holds one',
    );
    expect(configProblems('history: {database: "postgres://u:${PASS@db/x"}\n')[0]?.message).toMatch(
      /must start a variable reference/,
    );
    expect(configProblems('history: {schema: Drift-History}\n')[0]).toMatchObject({
      line: 4,
      message: expect.stringMatching(/^history\.schema: a schema name is lower-case letters/),
    });
  });

  it('exits 2 naming DRIFTWATCH_DATABASE_URL when it is not a PostgreSQL URL, and leaves no SQLite file behind', async () => {
    const dir = project(CONFIG);
    for (const args of [['check'], ['snapshot', '--all', '--store'], ['history']]) {
      const result = await run(dir, args, { DRIFTWATCH_DATABASE_URL: `mysql://app:${PASSWORD}@db/app` });
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr).toBe(
        'error: DRIFTWATCH_DATABASE_URL: must start with postgres:// or postgresql://; unset it to keep history in the SQLite file\n',
      );
      expect(result.stdout + result.stderr).not.toContain(PASSWORD);
    }
    expect(existsSync(path.join(dir, '.driftwatch'))).toBe(false);
  });

  it("keeps history in the SQLite file whatever DATABASE_URL says: it is the application's", async () => {
    const dir = project(CONFIG);
    const env = { DATABASE_URL: `postgres://app:${PASSWORD}@127.0.0.1:1/app` };
    const stored = await run(dir, ['snapshot', '--all', '--store'], env);
    expect(stored.code).toBe(0);
    // "1 key" or "1 keys": how counts are worded is not this test's business.
    expect(stored.stdout).toMatch(/^stored a: 1 keys? \(snapshot 1\)\n$/);
    expect(existsSync(path.join(dir, SQLITE_STORE_PATH))).toBe(true);
  });

  describe.skipIf(!postgresUrl)(
    `on PostgreSQL${postgresUrl ? '' : ' (skipped: DRIFTWATCH_TEST_DATABASE_URL is unset)'}`,
    () => {
      it('stores through history.database with the password from the environment, in history.schema', async () => {
        const schema = `dw_test_${randomBytes(6).toString('hex')}`;
        const url = new URL(postgresUrl as string);
        const admin = new pg.Client({ connectionString: postgresUrl });
        await admin.connect();
        try {
          const dir = project(
            `${CONFIG}history:\n  database: "postgres://${url.username}:\${DW_TEST_PASSWORD}@${url.host}${url.pathname}"\n  schema: ${schema}\n`,
          );
          // The test server trusts local connections: any password goes, and none may be printed.
          const env = { DW_TEST_PASSWORD: PASSWORD };
          const stored = await run(dir, ['snapshot', '--all', '--store'], env);
          expect(stored.stderr).toBe('');
          expect(stored.code).toBe(0);
          const { rows } = await admin.query(`select env, key_count from ${schema}.snapshots`);
          expect(rows).toEqual([{ env: 'a', key_count: 1 }]);
          expect(existsSync(path.join(dir, '.driftwatch'))).toBe(false);
          const history = await run(dir, ['history', '--format', 'json'], env);
          expect(history.code).toBe(0);
          expect(history.stdout + history.stderr).not.toContain(PASSWORD);
        } finally {
          await admin.query(`drop schema if exists ${schema} cascade`);
          await admin.end();
        }
      });
    },
  );
});
