import path from 'node:path';
import { CompiledQuery, Kysely, SqliteDialect, sql } from 'kysely';
import { ensureStateDir } from '../state-dir.js';
import type { StoreDatabase } from './database.js';
import {
  DEFAULT_HISTORY_SCHEMA,
  HISTORY_SCHEMA_PATTERN,
  isPostgresUrl,
  redactDatabaseUrl,
  scrubSecrets,
  secretsOf,
} from './database-url.js';
import { KyselyStore } from './kysely-store.js';
import { migrateToLatest } from './migrations.js';
import { ScopedPostgresDialect } from './scoped-postgres-dialect.js';
import { isSqliteBusy, openSqliteDatabase, type SqliteDatabase } from './sqlite-driver.js';
import { SQLITE_STORE_PATH } from './sqlite-store-path.js';
import type { Store } from './store.js';
import { inProcessQueue, type StoreConnection } from './store-connection.js';
import { StoreError } from './store-error.js';

export { DEFAULT_HISTORY_SCHEMA } from './database-url.js';
export { SQLITE_STORE_PATH } from './sqlite-store-path.js';

/**
 * Where the history goes. The caller decides where the URL comes from (the
 * CLI: `DRIFTWATCH_DATABASE_URL` or `history.database`; the service may also
 * read its own `DATABASE_URL`): the store reads no environment variable itself.
 */
export interface OpenStoreOptions {
  /** Directory of driftwatch.yaml; the SQLite file lives at `.driftwatch/driftwatch.db` inside it. */
  readonly configDir: string;
  /** `postgres://` or `postgresql://` selects PostgreSQL; unset or empty, the SQLite file. */
  readonly databaseUrl?: string;
  /** How messages name the setting the URL came from (`DRIFTWATCH_DATABASE_URL`), so a bad one can be found. */
  readonly databaseUrlName?: string;
  /**
   * The PostgreSQL schema that holds every table of the store and its
   * migration bookkeeping, created if missing (default `driftwatch`). The
   * connection's own search_path (often `public`, the application's tables) is
   * never used: an application's `snapshots` table or its own kysely
   * migrations must not meet ours.
   */
  readonly schema?: string;
}

const CONNECT_TIMEOUT_MS = 10_000;

/** Opens the history store and brings its schema up to date. Throws `StoreError`. */
export async function openStore(options: OpenStoreOptions): Promise<Store> {
  const { databaseUrl } = options;
  if (databaseUrl === undefined || databaseUrl === '') return openSqliteStore(options.configDir);
  const named = { source: options.databaseUrlName ?? 'database URL' };
  if (!isPostgresUrl(databaseUrl)) {
    // Falling back to SQLite would quietly keep history somewhere nobody looks.
    throw new StoreError(
      'malformed-url',
      'must start with postgres:// or postgresql://; unset it to keep history in the SQLite file',
      named,
    );
  }
  const schema = options.schema ?? DEFAULT_HISTORY_SCHEMA;
  if (!HISTORY_SCHEMA_PATTERN.test(schema)) {
    throw new StoreError(
      'malformed-schema',
      `'${schema}' is not a schema name driftwatch uses: lower-case letters, digits and _, starting with a letter or _`,
      { source: 'history.schema' },
    );
  }
  const shown = redactDatabaseUrl(databaseUrl);
  if (shown === undefined) throw new StoreError('malformed-url', 'is not a valid postgres:// URL', named);
  return openPostgresStore(databaseUrl, { source: shown, setting: options.databaseUrlName }, schema);
}

async function openSqliteStore(configDir: string): Promise<Store> {
  const file = path.resolve(configDir, SQLITE_STORE_PATH);
  const where = { file: path.join(configDir, SQLITE_STORE_PATH) };
  let database: SqliteDatabase;
  try {
    ensureStateDir(configDir);
    database = openSqliteDatabase(file);
  } catch (error) {
    throw new StoreError('unavailable', `cannot open the history store: ${messageOf(error)}`, where);
  }
  const db = new Kysely<StoreDatabase>({ dialect: new SqliteDialect({ database }) });
  try {
    // WAL: readers never wait for the writer, and a killed writer leaves the last commit intact.
    const journalMode = database.pragma('journal_mode = WAL');
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
  for (let attempt = 1; ; attempt++) {
    try {
      await inProcessQueue(connection.name, () => migrateToLatest(connection.db, 'sqlite'));
      return;
    } catch (error) {
      if (!isSqliteBusy(error) || attempt >= 5) throw error;
    }
  }
}

/** `source`: the redacted URL; `setting`: where it came from (`DRIFTWATCH_DATABASE_URL`), when the caller said. */
interface PostgresTarget {
  readonly source: string;
  readonly setting: string | undefined;
}

async function openPostgresStore(databaseUrl: string, target: PostgresTarget, schema: string): Promise<Store> {
  const where = { source: target.source };
  const cannotUse =
    target.setting === undefined ? 'cannot use the history store' : `cannot use the history store (${target.setting})`;
  const secrets = secretsOf(databaseUrl);
  let db: Kysely<StoreDatabase>;
  try {
    const { default: pg } = await import('pg');
    const pool = new pg.Pool({ connectionString: databaseUrl, connectionTimeoutMillis: CONNECT_TIMEOUT_MS });
    // An idle client losing its server would otherwise crash the process; the next query reports it.
    pool.on('error', () => undefined);
    db = new Kysely<StoreDatabase>({
      dialect: new ScopedPostgresDialect(
        {
          pool,
          // Every connection sees our schema and only it, whatever search_path the URL or the role sets:
          // unqualified names can then never reach the application's tables.
          onCreateConnection: async (connection) => {
            await connection.executeQuery(CompiledQuery.raw(`set search_path to ${quoteIdentifier(schema)}`));
          },
        },
        schema,
      ),
    });
  } catch (error) {
    throw new StoreError('unavailable', `${cannotUse}: ${messageOf(error)}`, where);
  }
  try {
    await ensureSchema(db, schema, where, secrets);
    await migrateToLatest(db, 'postgres', schema);
    return new KyselyStore({ db, dialect: 'postgres', name: target.source, where });
  } catch (error) {
    await db.destroy().catch(() => undefined);
    if (error instanceof StoreError) throw error;
    throw new StoreError('unavailable', `${cannotUse}: ${scrubSecrets(messageOf(error), secrets)}`, where);
  }
}

/**
 * Creates the store's schema when it is missing. It is looked up first:
 * PostgreSQL checks the right to create a schema even when `if not exists`
 * has nothing to do, and a role that may only use a schema made for it by an
 * administrator must still get in.
 */
async function ensureSchema(
  db: Kysely<StoreDatabase>,
  schema: string,
  where: { readonly source: string },
  secrets: readonly string[],
): Promise<void> {
  const exists = async () =>
    (await sql<{ found: number }>`select 1 as found from pg_namespace where nspname = ${schema}`.execute(db)).rows
      .length > 0;
  if (await exists()) return;
  try {
    await sql`create schema if not exists ${sql.id(schema)}`.execute(db);
  } catch (error) {
    // Another process may have created it between our look and our create.
    if (await exists()) return;
    throw new StoreError(
      'unavailable',
      `cannot create the schema '${schema}' for the history (${scrubSecrets(messageOf(error), secrets)}); ` +
        `create it for this role (create schema ${schema} authorization <role>), or set history.schema to one it may use`,
      where,
    );
  }
}

/** `"driftwatch"`; the name is checked against HISTORY_SCHEMA_PATTERN already, quoting keeps it exact. */
function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

function messageOf(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) {
    // Node reports a refused dual-stack connect as an AggregateError with an empty message.
    return error.errors.map(messageOf).join('; ');
  }
  if (error instanceof Error) return error.message || error.name;
  return String(error);
}
