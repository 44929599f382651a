import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Entry } from '../../src/snapshot/snapshot.js';
import { storeMigrations } from '../../src/store/migrations.js';
import { openStore, SQLITE_STORE_PATH } from '../../src/store/open-store.js';
import { openSqliteDatabase, type SqliteDatabase } from '../../src/store/sqlite-driver.js';
import type { Store } from '../../src/store/store.js';
import { StoreError } from '../../src/store/store-error.js';
import { type SeriesSummary, saveSeries, seriesEntries } from './fixtures/series.js';
import { entry, minutesAfterEpoch, snapshotOf } from './fixtures/synthetic.js';

const postgresUrl = process.env.DRIFTWATCH_TEST_DATABASE_URL;
if (!postgresUrl) {
  console.warn(
    'store: PostgreSQL tests skipped; set DRIFTWATCH_TEST_DATABASE_URL=postgres://user@127.0.0.1:5432/db to run them',
  );
}

const FIXTURES = path.join(import.meta.dirname, 'fixtures');
const DAY_MS = 86_400_000;

/** One test's database: a fresh SQLite directory or a fresh PostgreSQL schema. */
interface TestDatabase {
  readonly options: { configDir: string; databaseUrl?: string; schema?: string };
  open(): Promise<Store>;
  /** Runs SQL written to work on both databases. */
  rows(text: string): Promise<Record<string, unknown>[]>;
  /** Whether `needle` occurs anywhere the database keeps data: file bytes, or every row of every table. */
  contains(needle: string): Promise<boolean>;
  dispose(): Promise<void>;
}

interface Backend {
  readonly name: 'sqlite' | 'postgres';
  readonly skipReason?: string;
  setup(): Promise<void>;
  create(): Promise<TestDatabase>;
  teardown(): Promise<void>;
}

const sqlite: Backend = {
  name: 'sqlite',
  async setup() {},
  async create() {
    const configDir = mkdtempSync(path.join(tmpdir(), 'driftwatch-store-'));
    const file = path.join(configDir, SQLITE_STORE_PATH);
    const stores: Store[] = [];
    let raw: SqliteDatabase | undefined;
    return {
      options: { configDir },
      async open() {
        const store = await openStore({ configDir });
        stores.push(store);
        return store;
      },
      async rows(text) {
        raw ??= openSqliteDatabase(file);
        const statement = raw.prepare(text);
        if (statement.reader) return statement.all() as Record<string, unknown>[];
        statement.run();
        return [];
      },
      async contains(needle) {
        const dir = path.dirname(file);
        return readdirSync(dir).some((name) => readFileSync(path.join(dir, name)).includes(needle));
      },
      async dispose() {
        try {
          for (const store of stores) await store.close();
          raw?.close();
        } finally {
          rmSync(configDir, { recursive: true, force: true });
        }
      },
    };
  },
  async teardown() {},
};

function postgresBackend(baseUrl: string | undefined): Backend {
  let admin: pg.Client | undefined;
  return {
    name: 'postgres',
    ...(baseUrl ? {} : { skipReason: 'DRIFTWATCH_TEST_DATABASE_URL is unset' }),
    async setup() {
      admin = new pg.Client({ connectionString: baseUrl });
      await admin.connect();
    },
    async create() {
      if (admin === undefined || baseUrl === undefined) throw new Error('postgres backend not set up');
      const client = admin;
      // Every test gets its own schema, so parallel runs and test files never see each other's rows.
      const schema = `dw_test_${randomBytes(6).toString('hex')}`;
      await client.query(`create schema ${schema}`);
      const databaseUrl = baseUrl;
      const configDir = mkdtempSync(path.join(tmpdir(), 'driftwatch-store-'));
      const stores: Store[] = [];
      const query = async (text: string) => {
        await client.query(`set search_path = ${schema}`);
        return (await client.query(text)).rows as Record<string, unknown>[];
      };
      return {
        options: { configDir, databaseUrl, schema },
        async open() {
          const store = await openStore({ configDir, databaseUrl, schema });
          stores.push(store);
          return store;
        },
        rows: query,
        async contains(needle) {
          const tables = await client.query<{ table_name: string }>(
            'select table_name from information_schema.tables where table_schema = $1',
            [schema],
          );
          expect(tables.rows.length).toBeGreaterThanOrEqual(3);
          for (const { table_name } of tables.rows) {
            const rows = await client.query<{ row: string }>(`select t::text as row from ${schema}."${table_name}" t`);
            if (rows.rows.some(({ row }) => row.includes(needle))) return true;
          }
          return false;
        },
        async dispose() {
          try {
            for (const store of stores) await store.close();
          } finally {
            await client.query(`drop schema ${schema} cascade`);
            rmSync(configDir, { recursive: true, force: true });
          }
        },
      };
    },
    async teardown() {
      await admin?.end();
    },
  };
}

for (const backend of [sqlite, postgresBackend(postgresUrl)]) {
  const title = backend.skipReason
    ? `store on ${backend.name} (skipped: ${backend.skipReason})`
    : `store on ${backend.name}`;
  describe.skipIf(backend.skipReason !== undefined)(title, () => {
    let database: TestDatabase;
    beforeAll(() => backend.setup());
    afterAll(() => backend.teardown());
    beforeEach(async () => {
      database = await backend.create();
    });
    afterEach(() => database.dispose());

    describe('migrations', () => {
      it('run once, however often and however concurrently the store is opened', async () => {
        await (await database.open()).close();
        await Promise.all([database.open(), database.open()]);
        const store = await database.open();
        // Every migration once, in name order, whoever adds the next one.
        expect(await database.rows('select name from kysely_migration order by name')).toEqual(
          Object.keys(storeMigrations('sqlite'))
            .sort()
            .map((name) => ({ name })),
        );
        expect(await store.environments()).toEqual([]);
      });
    });

    describe('saveSnapshot', () => {
      it('stores a snapshot and gives back the same entries, sensitive ones without value', async () => {
        const store = await database.open();
        const entries = [
          entry('db.host', 'h1'),
          entry('db.port', 'p1', { type: 'number', value: 5432 }),
          entry('db.password', 'pw1', { sensitive: true, sensitiveReason: 'key-name', value: undefined }),
          entry('features.beta', 'b1', { type: 'boolean', value: false, tag: undefined }),
          entry('vault.ref', 'v1', { type: 'opaque', value: 'secret/db', tag: '!vault' }),
          entry('API_URL', 'u1', { origin: { source: 'deploy/*.env', file: 'deploy/staging.env' } }),
          entry('empty', 'e1', { type: 'null', value: null }),
        ];
        const saved = await store.saveSnapshot(snapshotOf('staging', '2025-03-01T10:00:00Z', entries));
        expect(saved.stored).toBe(true);

        const latest = await store.latestSnapshot('staging');
        expect(latest?.id).toBe(saved.snapshotId);
        expect(latest?.takenAt).toBe('2025-03-01T10:00:00.000Z');
        expect(latest?.keyCount).toBe(entries.length);
        expect(latest?.sources).toEqual(snapshotOf('staging', '', entries).sources);
        expect([...(latest?.entries.keys() ?? [])]).toEqual([...entries.map((item) => item.key)].sort());
        expect(Object.fromEntries(latest?.entries ?? [])).toEqual(
          Object.fromEntries(entries.map((item) => [item.key, JSON.parse(JSON.stringify(item))])),
        );
        expect(await store.latestSnapshot('production')).toBeUndefined();
      });

      it('does not store a snapshot identical to the latest one, whatever its time and entry order', async () => {
        const store = await database.open();
        const entries = [entry('a', '1'), entry('b', '2')];
        const first = await store.saveSnapshot(snapshotOf('staging', minutesAfterEpoch(0), entries));
        const again = await store.saveSnapshot(snapshotOf('staging', minutesAfterEpoch(5), [...entries].reverse()));
        expect(again).toEqual({ snapshotId: first.snapshotId, stored: false });
        expect(await database.rows('select id from snapshots')).toHaveLength(1);

        const changed = await store.saveSnapshot(
          snapshotOf('staging', minutesAfterEpoch(6), [entry('a', '1'), entry('b', '3')]),
        );
        expect(changed.stored).toBe(true);
        expect(changed.snapshotId).not.toBe(first.snapshotId);
        // Going back to the first content is a change against the latest, so it is stored.
        const back = await store.saveSnapshot(snapshotOf('staging', minutesAfterEpoch(7), entries));
        expect(back.stored).toBe(true);
      });

      it('stores key versions, not copies: unchanged keys cost nothing per snapshot', async () => {
        const store = await database.open();
        const keys = Array.from({ length: 100 }, (_, index) => `key${index}`);
        for (let day = 0; day < 10; day++) {
          // One key changes per day.
          const entries = keys.map((key, index) => entry(key, index === day ? `day${day}` : 'initial'));
          await store.saveSnapshot(snapshotOf('staging', minutesAfterEpoch(day * 1440), entries));
        }
        // 100 first versions, then each day two more: yesterday's key back to 'initial', today's key changed.
        const [{ count }] = (await database.rows('select count(*) as count from key_versions')) as [{ count: unknown }];
        expect(Number(count)).toBe(100 + 9 * 2);
        await expectConsistent(database);
      });

      it('starts a new version when only the origin or the classification changes', async () => {
        const store = await database.open();
        await store.saveSnapshot(snapshotOf('staging', minutesAfterEpoch(0), [entry('a', '1')]));
        await store.saveSnapshot(
          snapshotOf('staging', minutesAfterEpoch(1), [
            entry('a', '1', { origin: { source: 'x', file: 'x.yaml', line: 9 } }),
          ]),
        );
        const moved = await store.latestSnapshot('staging');
        expect(moved?.entries.get('a')?.origin).toEqual({ source: 'x', file: 'x.yaml', line: 9 });
        await store.saveSnapshot(
          snapshotOf('staging', minutesAfterEpoch(2), [
            entry('a', '1', {
              origin: { source: 'x', file: 'x.yaml', line: 9 },
              sensitive: true,
              sensitiveReason: 'value-shape',
            }),
          ]),
        );
        const reclassified = await store.latestSnapshot('staging');
        expect(reclassified?.entries.get('a')).not.toHaveProperty('value');
        expect(reclassified?.entries.get('a')?.sensitive).toBe(true);
        // Neither is a change of the key's value: the timeline shows only that it was added.
        expect((await store.keyHistory({ key: 'a' })).map((event) => event.change)).toEqual(['added']);
      });

      it('refuses a snapshot older than the latest stored one', async () => {
        const store = await database.open();
        await store.saveSnapshot(snapshotOf('staging', minutesAfterEpoch(10), [entry('a', '1')]));
        const older = store.saveSnapshot(snapshotOf('staging', minutesAfterEpoch(5), [entry('a', '2')]));
        await expect(older).rejects.toBeInstanceOf(StoreError);
        await expect(older).rejects.toMatchObject({ reason: 'out-of-order', code: 'SOURCE_ERROR' });
        // Other environments keep their own clocks.
        expect(
          (await store.saveSnapshot(snapshotOf('production', minutesAfterEpoch(5), [entry('a', '2')]))).stored,
        ).toBe(true);
      });

      it('stores an empty environment and a snapshot that empties one', async () => {
        const store = await database.open();
        await store.saveSnapshot(snapshotOf('staging', minutesAfterEpoch(0), [entry('a', '1')]));
        await store.saveSnapshot(snapshotOf('staging', minutesAfterEpoch(1), []));
        const latest = await store.latestSnapshot('staging');
        expect(latest?.keyCount).toBe(0);
        expect(latest?.entries.size).toBe(0);
        expect(await store.removedKeys('staging')).toEqual([{ key: 'a', removedAt: minutesAfterEpoch(1) }]);
      });
    });

    describe('keyHistory', () => {
      it('tells when a key was added, changed and removed', async () => {
        const store = await database.open();
        const [t1, t2, t3] = ['2025-01-10T08:00:00.000Z', '2025-02-10T08:00:00.000Z', '2025-03-10T08:00:00.000Z'];
        const s1 = await store.saveSnapshot(
          snapshotOf('staging', t1, [entry('oauth.global.client_id', 'c1', { value: 'abc' }), entry('db.host', 'h')]),
        );
        const s2 = await store.saveSnapshot(
          snapshotOf('staging', t2, [entry('oauth.global.client_id', 'c2', { value: 'xyz' }), entry('db.host', 'h')]),
        );
        const s3 = await store.saveSnapshot(snapshotOf('staging', t3, [entry('db.host', 'h')]));

        const history = await store.keyHistory({ key: 'oauth.global.client_id' });
        expect(history.map(({ change, at, snapshotId, value }) => ({ change, at, snapshotId, value }))).toEqual([
          { change: 'added', at: t1, snapshotId: s1.snapshotId, value: 'abc' },
          { change: 'changed', at: t2, snapshotId: s2.snapshotId, value: 'xyz' },
          { change: 'removed', at: t3, snapshotId: s3.snapshotId, value: 'xyz' },
        ]);
        expect(history[0]).toEqual({
          env: 'staging',
          key: 'oauth.global.client_id',
          change: 'added',
          at: t1,
          snapshotId: s1.snapshotId,
          fingerprint: 'c1',
          type: 'string',
          value: 'abc',
          sensitive: false,
          origin: { source: 'config/*.yaml', file: 'config/app.yaml', line: 1, column: 1 },
        });
        expect((await store.keyHistory({ key: 'db.host' })).map((event) => event.change)).toEqual(['added']);
      });

      it('orders events by time, then environment, then key, and keeps the most recent `limit`', async () => {
        const store = await database.open();
        await store.saveSnapshot(snapshotOf('staging', minutesAfterEpoch(1), [entry('b', '1'), entry('a', '1')]));
        await store.saveSnapshot(snapshotOf('production', minutesAfterEpoch(1), [entry('a', '1')]));
        await store.saveSnapshot(snapshotOf('production', minutesAfterEpoch(2), [entry('a', '2')]));
        await store.saveSnapshot(snapshotOf('staging', minutesAfterEpoch(3), [entry('a', '1')]));

        const all = await store.keyHistory();
        expect(all.map(({ env, key, change }) => `${env}:${key}:${change}`)).toEqual([
          'production:a:added',
          'staging:a:added',
          'staging:b:added',
          'production:a:changed',
          'staging:b:removed',
        ]);
        expect((await store.keyHistory({ env: 'production' })).map((event) => event.change)).toEqual([
          'added',
          'changed',
        ]);
        expect((await store.keyHistory({ env: 'staging', key: 'a' })).map((event) => event.change)).toEqual(['added']);
        expect(await store.keyHistory({ limit: 2 })).toEqual(all.slice(-2));
        expect(await store.keyHistory({ limit: 0 })).toEqual([]);
        expect(await store.keyHistory({ key: 'missing' })).toEqual([]);
      });

      it('reports a sensitive key without a value', async () => {
        const store = await database.open();
        const secret = { sensitive: true, sensitiveReason: 'key-name' as const, value: undefined };
        await store.saveSnapshot(snapshotOf('staging', minutesAfterEpoch(1), [entry('db.password', 'f1', secret)]));
        await store.saveSnapshot(snapshotOf('staging', minutesAfterEpoch(2), [entry('db.password', 'f2', secret)]));
        const history = await store.keyHistory({ key: 'db.password' });
        expect(history.map((event) => [event.change, event.fingerprint, event.sensitive])).toEqual([
          ['added', 'f1', true],
          ['changed', 'f2', true],
        ]);
        for (const event of history) expect(event).not.toHaveProperty('value');
      });
    });

    describe('removedKeys', () => {
      it('lists keys the latest snapshot lacks, with when they disappeared', async () => {
        const store = await database.open();
        await store.saveSnapshot(
          snapshotOf('staging', minutesAfterEpoch(1), [
            entry('GLOBAL_OAUTH_SECRET', '1'),
            entry('a', '1'),
            entry('b', '1'),
          ]),
        );
        await store.saveSnapshot(snapshotOf('staging', minutesAfterEpoch(2), [entry('a', '1')]));
        // b comes back, then goes again; a changes; the earlier removal of GLOBAL_OAUTH_SECRET stands.
        await store.saveSnapshot(snapshotOf('staging', minutesAfterEpoch(3), [entry('a', '2'), entry('b', '1')]));
        await store.saveSnapshot(snapshotOf('staging', minutesAfterEpoch(4), [entry('a', '2')]));
        await store.saveSnapshot(snapshotOf('production', minutesAfterEpoch(4), [entry('GLOBAL_OAUTH_SECRET', '1')]));

        expect(await store.removedKeys('staging')).toEqual([
          { key: 'GLOBAL_OAUTH_SECRET', removedAt: minutesAfterEpoch(2) },
          { key: 'b', removedAt: minutesAfterEpoch(4) },
        ]);
        expect(await store.removedKeys('production')).toEqual([]);
        expect(await store.removedKeys('nowhere')).toEqual([]);
      });
    });

    describe('environments', () => {
      it('lists every environment with a snapshot, sorted', async () => {
        const store = await database.open();
        for (const env of ['staging', 'production', 'dev']) {
          await store.saveSnapshot(snapshotOf(env, minutesAfterEpoch(1), [entry('a', '1')]));
        }
        expect(await store.environments()).toEqual(['dev', 'production', 'staging']);
      });
    });

    describe('recordFindings', () => {
      it('keeps the first sighting of each finding', async () => {
        const store = await database.open();
        const day1 = '2025-05-01T06:00:00.000Z';
        const day2 = '2025-05-02T06:00:00.000Z';
        expect(await store.recordFindings(['3f9c1a2b', '77aa01ff', '3f9c1a2b'], day1)).toEqual(
          new Map([
            ['3f9c1a2b', day1],
            ['77aa01ff', day1],
          ]),
        );
        expect(await store.recordFindings(['3f9c1a2b', 'c0ffee00'], day2)).toEqual(
          new Map([
            ['3f9c1a2b', day1],
            ['c0ffee00', day2],
          ]),
        );
        // A report replayed from before the first sighting moves it back; last_seen only moves forward.
        expect(await store.recordFindings(['c0ffee00'], '2025-04-30T00:00:00Z')).toEqual(
          new Map([['c0ffee00', '2025-04-30T00:00:00.000Z']]),
        );
        expect(
          await database.rows("select first_seen, last_seen from finding_sightings where finding_id = 'c0ffee00'"),
        ).toEqual([{ first_seen: '2025-04-30T00:00:00.000Z', last_seen: day2 }]);
        expect(await store.recordFindings([], day2)).toEqual(new Map());
      });
    });

    describe('prune', () => {
      it('deletes old snapshots but always keeps the latest of each environment, complete', async () => {
        const store = await database.open();
        const start = Date.UTC(2024, 0, 1);
        const day = (index: number) => new Date(start + index * DAY_MS).toISOString();
        for (let index = 0; index < 10; index++) {
          await store.saveSnapshot(
            snapshotOf('staging', day(index), [
              entry('stable', '1'),
              entry('daily', `d${index}`),
              entry(`only${index}`, '1'),
            ]),
          );
        }
        await store.saveSnapshot(snapshotOf('production', day(0), [entry('stable', '1')]));
        const before = await store.latestSnapshot('staging');

        // Everything is older than 30 days: only each environment's latest survives.
        const result = await store.prune({ keepDays: 30, now: new Date(start + 100 * DAY_MS) });
        expect(result).toEqual({ snapshotsDeleted: 9 });
        expect(await store.latestSnapshot('staging')).toEqual(before);
        expect((await store.latestSnapshot('production'))?.entries.size).toBe(1);
        expect(await store.environments()).toEqual(['production', 'staging']);
        await expectConsistent(database);
        // History keeps nothing that points at a deleted snapshot.
        const snapshotIds = new Set((await database.rows('select id from snapshots')).map((row) => Number(row.id)));
        for (const event of await store.keyHistory()) expect(snapshotIds.has(event.snapshotId)).toBe(true);

        expect(await store.prune({ keepDays: 0, now: new Date(start + 200 * DAY_MS) })).toEqual({
          snapshotsDeleted: 0,
        });
        // The store keeps working after a prune.
        await store.saveSnapshot(snapshotOf('staging', day(150), [entry('stable', '1')]));
        expect(await store.removedKeys('staging')).toEqual([
          { key: 'daily', removedAt: day(150) },
          // The kept day-9 snapshot still records that only8 went missing in it.
          { key: 'only8', removedAt: day(9) },
          { key: 'only9', removedAt: day(150) },
        ]);
      });

      it('keeps snapshots inside the window and the removals they record', async () => {
        const store = await database.open();
        const start = Date.UTC(2024, 0, 1);
        const day = (index: number) => new Date(start + index * DAY_MS).toISOString();
        await store.saveSnapshot(snapshotOf('staging', day(0), [entry('a', '1'), entry('retired', '1')]));
        await store.saveSnapshot(snapshotOf('staging', day(10), [entry('a', '1'), entry('retired', '1')].slice(0, 1)));
        await store.saveSnapshot(snapshotOf('staging', day(20), [entry('a', '2')]));

        // Day 0 is 25 days old, day 10 is 15: only day 0 goes, and day 10 still records the removal.
        expect(await store.prune({ keepDays: 20, now: new Date(start + 25 * DAY_MS) })).toEqual({
          snapshotsDeleted: 1,
        });
        expect(await store.removedKeys('staging')).toEqual([{ key: 'retired', removedAt: day(10) }]);
        expect((await store.keyHistory({ key: 'a' })).map(({ change, at }) => [change, at])).toEqual([
          ['changed', day(20)],
        ]);
        await expectConsistent(database);
      });
    });

    describe('secrets', () => {
      it('never writes a sensitive value, even one a buggy caller passes along', async () => {
        const canary = `CANARY-${randomBytes(8).toString('hex')}`;
        const buggyCanary = `BUGGY-CANARY-${randomBytes(8).toString('hex')}`;
        const control = `VISIBLE-CONTROL-${randomBytes(8).toString('hex')}`;
        const store = await database.open();
        const entries: Entry[] = [
          // What the snapshot module hands over: no value at all.
          {
            key: 'db.password',
            type: 'string',
            fingerprint: 'a1'.repeat(32),
            sensitive: true,
            sensitiveReason: 'key-name',
            origin: { source: 'x', file: 'x.yaml', line: 3 },
          },
          // A bug upstream: sensitive, yet carrying the secret.
          {
            key: 'api.token',
            type: 'string',
            value: buggyCanary,
            fingerprint: 'b2'.repeat(32),
            sensitive: true,
            origin: { source: 'x', file: 'x.yaml', line: 4 },
          },
          // The check must be able to find a value that is stored, or it proves nothing.
          {
            key: 'app.name',
            type: 'string',
            value: control,
            fingerprint: 'c3'.repeat(32),
            sensitive: false,
            origin: { source: 'x', file: 'x.yaml', line: 5 },
          },
        ];
        await store.saveSnapshot(snapshotOf('production', minutesAfterEpoch(1), entries));
        await store.saveSnapshot(
          snapshotOf('production', minutesAfterEpoch(2), [
            { ...(entries[1] as Entry), fingerprint: 'd4'.repeat(32) },
            ...entries.slice(2),
          ]),
        );
        await store.recordFindings(['f1'], minutesAfterEpoch(2));

        expect((await store.latestSnapshot('production'))?.entries.get('api.token')).not.toHaveProperty('value');
        for (const event of await store.keyHistory()) expect(JSON.stringify(event)).not.toContain('CANARY');
        expect(await database.contains(control)).toBe(true);
        expect(await database.contains(canary)).toBe(false);
        expect(await database.contains(buggyCanary)).toBe(false);
        await store.close();
        // After close SQLite has checkpointed its WAL into the main file: look again.
        expect(await database.contains(control)).toBe(true);
        expect(await database.contains(buggyCanary)).toBe(false);
      });

      it('has the database refuse a sensitive value written behind the store’s back', async () => {
        await (await database.open()).close();
        await expect(
          database.rows(
            `insert into key_versions (env, key, fingerprint, type, sensitive, value, origin_source, origin_file, first_snapshot_id, last_snapshot_id)
             values ('e', 'k', 'f', 'string', true, '"leak"', 's', 'f', 1, null)`,
          ),
        ).rejects.toThrow(/check constraint|CHECK constraint/i);
      });
    });

    describe('concurrent writers', () => {
      it('serialise two stores saving at once in one process', async () => {
        const [first, second] = await Promise.all([database.open(), database.open()]);
        const options = { count: 8, keys: 300 };
        const summaries = await Promise.all([
          saveSeries(first, { ...options, env: 'one' }),
          saveSeries(second, { ...options, env: 'two' }),
        ]);
        await expectSeriesLanded(database, first, summaries, options);
      });

      it('serialise two processes saving at once', async () => {
        await (await database.open()).close();
        const options = { count: 12, keys: 1000 };
        const summaries = await runTogether(
          'save-series.ts',
          ['one', 'two'].map((env) => [JSON.stringify({ ...database.options, ...options, env })]),
        );
        const store = await database.open();
        await expectSeriesLanded(
          database,
          store,
          summaries.map((output) => JSON.parse(output) as SeriesSummary),
          options,
        );
        if (backend.name === 'sqlite') {
          expect(await database.rows('pragma integrity_check')).toEqual([{ integrity_check: 'ok' }]);
        }
      }, 60_000);
    });
  });
}

async function expectSeriesLanded(
  database: TestDatabase,
  store: Store,
  summaries: readonly SeriesSummary[],
  options: { count: number; keys: number },
): Promise<void> {
  for (const [index, env] of ['one', 'two'].entries()) {
    expect(summaries[index]?.own).toBe(options.count);
    const snapshots = await database.rows(`select id from snapshots where env = '${env}'`);
    expect(snapshots).toHaveLength(options.count);
    expect((await store.latestSnapshot(env))?.entries).toEqual(
      new Map(seriesEntries(options.keys, options.count).map((item) => [item.key, item])),
    );
  }
  // The shared series: every step stored exactly once, or seen unchanged, or refused as stale.
  const shared = summaries.map((summary) => summary.shared);
  const stored = shared.reduce((sum, counts) => sum + counts.stored, 0);
  expect(await database.rows("select id from snapshots where env = 'shared'")).toHaveLength(stored);
  expect(stored).toBeLessThanOrEqual(options.count);
  for (const counts of shared) expect(counts.stored + counts.unchanged + counts.outOfOrder).toBe(options.count);
  expect((await store.latestSnapshot('shared'))?.entries).toEqual(
    new Map(seriesEntries(options.keys, options.count).map((item) => [item.key, item])),
  );
  await expectConsistent(database);
}

/** The version chains are whole: one open version per key of each latest snapshot, and ordered snapshot ids. */
async function expectConsistent(database: TestDatabase): Promise<void> {
  const latest = await database.rows(
    'select s.env, s.key_count from snapshots s where s.id in (select max(id) from snapshots group by env)',
  );
  for (const row of latest) {
    const open = await database.rows(
      `select count(*) as count, count(distinct key) as keys
       from key_versions where env = '${row.env}' and ended_snapshot_id is null`,
    );
    expect(open.map((counts) => [Number(counts.count), Number(counts.keys)])).toEqual([
      [Number(row.key_count), Number(row.key_count)],
    ]);
  }
  expect(
    await database.rows(
      `select id from key_versions
       where (last_snapshot_id is null) <> (ended_snapshot_id is null)
          or first_snapshot_id > last_snapshot_id or ended_snapshot_id <= last_snapshot_id`,
    ),
  ).toEqual([]);
}

/**
 * Runs one fixture script per argument list under tsx, starts them all at
 * once when each has said `ready`, and resolves with what each printed after.
 */
async function runTogether(script: string, argumentLists: readonly (readonly string[])[]): Promise<string[]> {
  const children = argumentLists.map((args) =>
    spawn(process.execPath, ['--import', 'tsx', path.join(FIXTURES, script), ...args], {
      stdio: ['pipe', 'pipe', 'pipe'],
    }),
  );
  const outcomes = children.map(
    (child) =>
      new Promise<string>((resolve, reject) => {
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (chunk: Buffer) => {
          stdout += chunk.toString();
          if (stdout.startsWith('ready\n')) child.emit('ready');
        });
        child.stderr.on('data', (chunk: Buffer) => {
          stderr += chunk.toString();
        });
        child.on('error', reject);
        child.on('close', (code) => {
          if (code === 0) resolve(stdout.replace(/^ready\n/, ''));
          else reject(new Error(`${script} exited with ${code}: ${stderr}`));
        });
      }),
  );
  try {
    await Promise.race([
      Promise.all(children.map((child) => new Promise((resolve) => child.once('ready', resolve)))),
      // A child that dies before it is ready rejects here instead of leaving the test waiting.
      Promise.all(outcomes),
    ]);
    for (const child of children) child.stdin.end('go\n');
    return await Promise.all(outcomes);
  } catch (error) {
    // One failed: stop the others before the test's database is dropped under them.
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
    throw error;
  }
}
