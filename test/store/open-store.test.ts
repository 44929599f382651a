import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_HISTORY_SCHEMA, openStore, SQLITE_STORE_PATH } from '../../src/store/open-store.js';
import { openSqliteDatabase } from '../../src/store/sqlite-driver.js';
import { StoreError } from '../../src/store/store-error.js';
import { entry, snapshotOf } from './fixtures/synthetic.js';

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
    const raw = openSqliteDatabase(file);
    try {
      expect(raw.pragma('journal_mode')).toBe('wal');
    } finally {
      raw.close();
    }
  });

  describe('refuses a database URL it cannot use, as a config error naming the setting, without the password', () => {
    it.each([
      ['another database', `mysql://app:${PASSWORD}@127.0.0.1/driftwatch`],
      ['a path', '/var/lib/driftwatch.db'],
      ['an unparsable URL', `postgres://app:${PASSWORD}@[not-a-host/driftwatch`],
    ])('%s', async (_case, databaseUrl) => {
      const error = await openError({ configDir, databaseUrl, databaseUrlName: 'DRIFTWATCH_DATABASE_URL' });
      expect(error.code).toBe('CONFIG_ERROR');
      expect(error.reason).toBe('malformed-url');
      expect(error.message).toMatch(/^DRIFTWATCH_DATABASE_URL: /);
      expect(error.message).not.toContain(PASSWORD);
      expect(existsSync(path.join(configDir, '.driftwatch'))).toBe(false);
    });
  });

  it('refuses a schema name it would have to quote, before connecting', async () => {
    for (const schema of ['Driftwatch', 'drift watch', 'public"; drop table x; --', '', '1st']) {
      const error = await openError({ configDir, databaseUrl: 'postgres://app@127.0.0.1:1/db', schema });
      expect(error.code).toBe('CONFIG_ERROR');
      expect(error.reason).toBe('malformed-schema');
      expect(error.message).toMatch(/^history\.schema: /);
    }
    expect(DEFAULT_HISTORY_SCHEMA).toBe('driftwatch');
  });

  it('reports an unreachable PostgreSQL as a source error, naming it with the password masked', async () => {
    const error = await openError({
      configDir,
      databaseUrl: `postgres://app:${PASSWORD}@127.0.0.1:1/driftwatch?password=${PASSWORD}&sslmode=disable`,
      databaseUrlName: 'DRIFTWATCH_DATABASE_URL',
    });
    expect(error.code).toBe('SOURCE_ERROR');
    expect(error.reason).toBe('unavailable');
    expect(error.message).toContain('postgres://app:***@127.0.0.1:1/driftwatch');
    expect(error.message).toContain('cannot use the history store (DRIFTWATCH_DATABASE_URL)');
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
    },
  );
});

/**
 * An application's database, standing in for its `public` schema: a schema of
 * the test's own (the server is shared), set as the connection's search_path
 * the way `public` is by default.
 */
describe.skipIf(!postgresUrl)(
  `store/openStore beside an application's tables${postgresUrl ? '' : ' (skipped: DRIFTWATCH_TEST_DATABASE_URL is unset)'}`,
  () => {
    let admin: pg.Client;
    let configDir: string;
    const schemas: string[] = [];
    const roles: string[] = [];
    const fresh = (prefix: string) => {
      const name = `${prefix}_${randomBytes(6).toString('hex')}`;
      schemas.push(name);
      return name;
    };
    const tablesOf = async (schema: string) =>
      (
        await admin.query<{ table_name: string }>(
          'select table_name from information_schema.tables where table_schema = $1 order by table_name',
          [schema],
        )
      ).rows.map((row) => row.table_name);
    const urlWithSearchPath = (schema: string) => {
      const url = new URL(postgresUrl as string);
      url.searchParams.set('options', `-c search_path=${schema}`);
      return url.toString();
    };

    beforeAll(async () => {
      admin = new pg.Client({ connectionString: postgresUrl });
      await admin.connect();
    });
    afterAll(async () => {
      for (const schema of schemas) await admin.query(`drop schema if exists ${schema} cascade`);
      for (const role of roles) await admin.query(`drop role if exists ${role}`);
      await admin.end();
    });
    beforeEach(() => {
      configDir = mkdtempSync(path.join(tmpdir(), 'driftwatch-open-'));
    });
    afterEach(() => rmSync(configDir, { recursive: true, force: true }));

    it("leaves the application's own snapshots table and kysely migrations alone", async () => {
      const app = fresh('dw_app');
      await admin.query(`create schema ${app}`);
      // What an application that uses kysely migrations itself has in its schema.
      await admin.query(`create table ${app}.snapshots (id integer primary key, photo text not null)`);
      await admin.query(`insert into ${app}.snapshots values (1, 'holiday.jpg')`);
      await admin.query(`create table ${app}.kysely_migration (name varchar(255) primary key, timestamp varchar(255))`);
      await admin.query(`insert into ${app}.kysely_migration values ('2024_01_app_users', '2024-01-01T00:00:00Z')`);
      await admin.query(`create table ${app}.kysely_migration_lock (id varchar(255) primary key, is_locked integer)`);
      await admin.query(`insert into ${app}.kysely_migration_lock values ('migration_lock', 0)`);
      const before = await tablesOf(app);

      const history = fresh('dw_test');
      const store = await openStore({ configDir, databaseUrl: urlWithSearchPath(app), schema: history });
      try {
        await store.saveSnapshot(snapshotOf('staging', '2026-03-01T10:00:00Z', [entry('db.host', 'h1')]));
        expect(await store.environments()).toEqual(['staging']);
      } finally {
        await store.close();
      }

      expect(await tablesOf(app)).toEqual(before);
      expect((await admin.query(`select * from ${app}.snapshots`)).rows).toEqual([{ id: 1, photo: 'holiday.jpg' }]);
      expect((await admin.query(`select name from ${app}.kysely_migration`)).rows).toEqual([
        { name: '2024_01_app_users' },
      ]);
      expect(await tablesOf(history)).toEqual(
        expect.arrayContaining([
          'finding_sightings',
          'key_versions',
          'kysely_migration',
          'kysely_migration_lock',
          'snapshots',
        ]),
      );
      expect((await admin.query(`select name from ${history}.kysely_migration`)).rows).toContainEqual({
        name: '001_initial',
      });
    });

    it('creates its schema when it is missing, and keeps two schemas side by side apart', async () => {
      const [first, second] = [fresh('dw_test'), fresh('dw_test')] as [string, string];
      const one = await openStore({ configDir, databaseUrl: postgresUrl, schema: first });
      const two = await openStore({ configDir, databaseUrl: postgresUrl, schema: second });
      try {
        await one.saveSnapshot(snapshotOf('staging', '2026-03-01T10:00:00Z', [entry('a', '1'), entry('b', '2')]));
        await two.saveSnapshot(snapshotOf('production', '2026-03-01T10:00:00Z', [entry('c', '3')]));
        expect(await one.environments()).toEqual(['staging']);
        expect(await two.environments()).toEqual(['production']);
        expect((await one.latestSnapshot('staging'))?.keyCount).toBe(2);
        expect(await two.latestSnapshot('staging')).toBeUndefined();
      } finally {
        await one.close();
        await two.close();
      }
      for (const schema of [first, second]) {
        expect(await tablesOf(schema)).toContain('key_versions');
      }
    });

    it('says how to get a schema when the role may not create one, without the password', async () => {
      const role = `dw_role_${randomBytes(6).toString('hex')}`;
      roles.push(role);
      await admin.query(`create role ${role} login password '${PASSWORD}'`);
      const url = new URL(postgresUrl as string);
      url.username = role;
      url.password = PASSWORD;
      const error = await openError({ configDir, databaseUrl: url.toString(), schema: fresh('dw_test') });
      expect(error.code).toBe('SOURCE_ERROR');
      expect(error.message).toMatch(/cannot create the schema 'dw_test_[0-9a-f]+' for the history/);
      expect(error.message).toMatch(/permission denied/);
      expect(error.message).toContain('set history.schema');
      expect(error.message).not.toContain(PASSWORD);
    });
  },
);
