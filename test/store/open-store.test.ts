import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore, SQLITE_STORE_PATH } from '../../src/store/open-store.js';
import { StoreError } from '../../src/store/store-error.js';

const postgresUrl = process.env.DRIFTWATCH_TEST_DATABASE_URL;
const PASSWORD = 'hunter2-do-not-print';

/** The error `openStore` throws for these options; fails the test if it opens. */
async function openError(options: Parameters<typeof openStore>[0]): Promise<StoreError> {
  try {
    const store = await openStore(options);
    await store.close();
  } catch (error) {
    if (error instanceof StoreError) return error;
    throw error;
  }
  throw new Error('openStore succeeded');
}

describe('store/openStore', () => {
  let configDir: string;
  beforeEach(() => {
    configDir = mkdtempSync(path.join(tmpdir(), 'driftwatch-open-'));
  });
  afterEach(() => rmSync(configDir, { recursive: true, force: true }));

  it('keeps history in .driftwatch/driftwatch.db under the config directory, in WAL mode', async () => {
    for (const databaseUrl of [undefined, '']) {
      const store = await openStore({ configDir, databaseUrl });
      await store.close();
    }
    const file = path.join(configDir, SQLITE_STORE_PATH);
    expect(SQLITE_STORE_PATH).toBe(path.join('.driftwatch', 'driftwatch.db'));
    expect(existsSync(file)).toBe(true);
    const raw = new Database(file);
    try {
      expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    } finally {
      raw.close();
    }
  });

  describe('refuses a DATABASE_URL it cannot use, as a config error without the password', () => {
    it.each([
      ['another database', `mysql://app:${PASSWORD}@127.0.0.1/driftwatch`],
      ['a path', '/var/lib/driftwatch.db'],
      ['an unparsable URL', `postgres://app:${PASSWORD}@[not-a-host/driftwatch`],
    ])('%s', async (_case, databaseUrl) => {
      const error = await openError({ configDir, databaseUrl });
      expect(error.code).toBe('CONFIG_ERROR');
      expect(error.reason).toBe('malformed-url');
      expect(error.message).toMatch(/DATABASE_URL/);
      expect(error.message).not.toContain(PASSWORD);
      expect(existsSync(path.join(configDir, '.driftwatch'))).toBe(false);
    });
  });

  it('reports an unreachable PostgreSQL as a source error, naming it with the password masked', async () => {
    const error = await openError({
      configDir,
      databaseUrl: `postgres://app:${PASSWORD}@127.0.0.1:1/driftwatch?password=${PASSWORD}&sslmode=disable`,
    });
    expect(error.code).toBe('SOURCE_ERROR');
    expect(error.reason).toBe('unavailable');
    expect(error.message).toContain('postgres://app:***@127.0.0.1:1/driftwatch');
    expect(error.message).toMatch(/ECONNREFUSED/);
    expect(error.message).not.toContain(PASSWORD);
    expect(JSON.stringify(error.problems)).not.toContain(PASSWORD);
  });

  describe('reports a SQLite file it cannot open as a source error naming the file', () => {
    it('the config directory is a file', async () => {
      const file = path.join(configDir, 'driftwatch.yaml');
      writeFileSync(file, 'version: 1\n');
      const error = await openError({ configDir: file });
      expect(error.code).toBe('SOURCE_ERROR');
      expect(error.message).toContain(path.join(file, SQLITE_STORE_PATH));
    });

    it('the database path is a directory', async () => {
      mkdirSync(path.join(configDir, SQLITE_STORE_PATH), { recursive: true });
      const error = await openError({ configDir });
      expect(error.code).toBe('SOURCE_ERROR');
      expect(error.message).toMatch(/cannot open the history store/);
    });

    it('the file is not a database', async () => {
      mkdirSync(path.join(configDir, '.driftwatch'));
      writeFileSync(
        path.join(configDir, SQLITE_STORE_PATH),
        'this is not a database, it is a shopping list\n'.repeat(200),
      );
      const error = await openError({ configDir });
      expect(error.code).toBe('SOURCE_ERROR');
      expect(error.message).toMatch(/not a database/);
    });
  });

  describe.skipIf(!postgresUrl)(
    `on a reachable PostgreSQL${postgresUrl ? '' : ' (skipped: DRIFTWATCH_TEST_DATABASE_URL is unset)'}`,
    () => {
      it('reports a database that does not exist without the password', async () => {
        const url = new URL(postgresUrl as string);
        url.password = PASSWORD;
        url.pathname = '/driftwatch_no_such_database';
        const error = await openError({ configDir, databaseUrl: url.toString() });
        expect(error.code).toBe('SOURCE_ERROR');
        expect(error.message).toMatch(/does not exist/);
        expect(error.message).not.toContain(PASSWORD);
      });

      it('reports a search_path naming no existing schema', async () => {
        const url = new URL(postgresUrl as string);
        url.searchParams.set('options', '-c search_path=dw_no_such_schema');
        const error = await openError({ configDir, databaseUrl: url.toString() });
        expect(error.message).toMatch(/none of the schemas on its search_path exists/);
      });
    },
  );
});
