import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type Database from 'better-sqlite3';
import type { StoreDatabase } from './database.js';
import { isPostgresUrl, redactDatabaseUrl, scrubSecrets, secretsOf } from './database-url.js';
import type { Store } from './store.js';
import type { StoreConnection } from './store-connection.js';
import { StoreError } from './store-error.js';

/**
 * Kysely and the store built on it load when a store is opened, not when this
 * module is, and each database driver only for its own database: most
 * commands never open a store, and loading all of it costs a third of a
 * second at every start.
 */
async function storeModules() {
  const [kysely, { KyselyStore }, { migrateToLatest }, { inProcessQueue, isSqliteBusy }] = await Promise.all([
    import('kysely'),
    import('./kysely-store.js'),
    import('./migrations.js'),
    import('./store-connection.js'),
  ]);
  return { ...kysely, KyselyStore, migrateToLatest, inProcessQueue, isSqliteBusy };
}

export interface OpenStoreOptions {
  /** `postgres://` or `postgresql://` selects PostgreSQL; unset or empty, the SQLite file. */
  readonly databaseUrl?: string;
  /** Directory of driftwatch.yaml; the SQLite file lives at `.driftwatch/driftwatch.db` inside it. */
  readonly configDir: string;
}

/** Where the SQLite store lives, relative to the config directory. */
export const SQLITE_STORE_PATH = path.join('.driftwatch', 'driftwatch.db');

const CONNECT_TIMEOUT_MS = 10_000;

/** Opens the history store and brings its schema up to date. Throws `StoreError`. */
export async function openStore(options: OpenStoreOptions): Promise<Store> {
  const { databaseUrl } = options;
  if (databaseUrl === undefined || databaseUrl === '') return openSqliteStore(options.configDir);
  if (!isPostgresUrl(databaseUrl)) {
    // Falling back to SQLite would quietly keep history somewhere nobody looks.
    throw new StoreError(
      'malformed-url',
      'must start with postgres:// or postgresql://; unset it to keep history in the SQLite file',
      { source: 'DATABASE_URL' },
    );
  }
  return openPostgresStore(databaseUrl);
}

async function openSqliteStore(configDir: string): Promise<Store> {
  const [{ default: Database }, { Kysely, SqliteDialect, KyselyStore }] = await Promise.all([
    import('better-sqlite3'),
    storeModules(),
  ]);
  const file = path.resolve(configDir, SQLITE_STORE_PATH);
  const where = { file: path.join(configDir, SQLITE_STORE_PATH) };
  let database: Database.Database;
  try {
    mkdirSync(path.dirname(file), { recursive: true });
    database = new Database(file);
  } catch (error) {
    throw new StoreError('unavailable', `cannot open the history store: ${messageOf(error)}`, where);
  }
  const db = new Kysely<StoreDatabase>({ dialect: new SqliteDialect({ database }) });
  try {
    // WAL: readers never wait for the writer, and a killed writer leaves the last commit intact.
    const journalMode = database.pragma('journal_mode = WAL', { simple: true });
    if (journalMode !== 'wal')
      throw new Error(`the file system does not support WAL mode (journal_mode is ${String(journalMode)})`);
    database.pragma('busy_timeout = 5000');
    database.pragma('foreign_keys = ON');
    const connection: StoreConnection = { db, dialect: 'sqlite', name: file, where };
    await migrateSqlite(connection);
    return new KyselyStore(connection);
  } catch (error) {
    await db.destroy().catch(() => undefined);
    if (error instanceof StoreError) throw error;
    throw new StoreError('unavailable', `cannot open the history store: ${messageOf(error)}`, where);
  }
}

/**
 * Migrates under this process's write queue. Another process migrating the
 * same fresh file at the same moment makes ours fail with SQLITE_BUSY; by the
 * next attempt its migrations are in place and there is nothing left to do.
 */
async function migrateSqlite(connection: StoreConnection): Promise<void> {
  const { inProcessQueue, isSqliteBusy, migrateToLatest } = await storeModules();
  for (let attempt = 1; ; attempt++) {
    try {
      await inProcessQueue(connection.name, () => migrateToLatest(connection.db, 'sqlite'));
      return;
    } catch (error) {
      if (!isSqliteBusy(error) || attempt >= 5) throw error;
    }
  }
}

async function openPostgresStore(databaseUrl: string): Promise<Store> {
  const [{ default: pg }, { Kysely, PostgresDialect, KyselyStore, migrateToLatest, sql }] = await Promise.all([
    import('pg'),
    storeModules(),
  ]);
  const shown = redactDatabaseUrl(databaseUrl);
  if (shown === undefined) {
    throw new StoreError('malformed-url', 'is not a valid postgres:// URL', { source: 'DATABASE_URL' });
  }
  const where = { source: shown };
  const secrets = secretsOf(databaseUrl);
  const pool = new pg.Pool({ connectionString: databaseUrl, connectionTimeoutMillis: CONNECT_TIMEOUT_MS });
  // An idle client losing its server would otherwise crash the process; the next query reports it.
  pool.on('error', () => undefined);
  const db = new Kysely<StoreDatabase>({ dialect: new PostgresDialect({ pool }) });
  try {
    const { rows } = await sql<{ schema: string | null }>`select current_schema() as schema`.execute(db);
    const schema = rows[0]?.schema ?? null;
    if (schema === null) {
      throw new StoreError(
        'unavailable',
        'cannot use the history store: none of the schemas on its search_path exists',
        where,
      );
    }
    await migrateToLatest(db, 'postgres', schema);
    return new KyselyStore({ db, dialect: 'postgres', name: shown, where });
  } catch (error) {
    await db.destroy().catch(() => undefined);
    if (error instanceof StoreError) throw error;
    throw new StoreError(
      'unavailable',
      `cannot use the history store: ${scrubSecrets(messageOf(error), secrets)}`,
      where,
    );
  }
}

function messageOf(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) {
    // Node reports a refused dual-stack connect as an AggregateError with an empty message.
    return error.errors.map(messageOf).join('; ');
  }
  if (error instanceof Error) return error.message || error.name;
  return String(error);
}
