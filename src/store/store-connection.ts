import { type Kysely, sql } from 'kysely';
import type { StoreDatabase, StoreDb, StoreDialect } from './database.js';
import { isSqliteBusy } from './sqlite-driver.js';
import { StoreError } from './store-error.js';

/** An open database and what the store needs to know about it. */
export interface StoreConnection {
  readonly db: StoreDb;
  readonly dialect: StoreDialect;
  /** The SQLite file's absolute path or the redacted PostgreSQL URL: queues writers and names the store in errors. */
  readonly name: string;
  readonly where: { readonly file?: string; readonly source?: string };
}

/** Distinguishes driftwatch's advisory locks from any other application's on the same database. */
const ADVISORY_LOCK_NAMESPACE = 0x64777463;

/** With busy_timeout at 5 s, a writer waits up to 30 s for another before giving up. */
const SQLITE_BEGIN_ATTEMPTS = 6;

/** Writers to one SQLite file from this process, chained: see `writeTransaction`. */
const sqliteWriteQueues = new Map<string, Promise<unknown>>();

/**
 * Runs `work` in one write transaction, serialised with every other writer of
 * the same `lockNames` (environments). PostgreSQL takes a transaction-scoped
 * advisory lock per name, in sorted order so that multi-name writers cannot
 * deadlock. SQLite has a single writer anyway: the transaction begins
 * IMMEDIATE, so it waits for the write lock up front (busy_timeout) instead of
 * failing when it upgrades from reading; writers inside this process queue
 * first, because the SQLite driver (synchronous) would block the very thread the holder needs
 * to finish.
 */
export async function writeTransaction<T>(
  connection: StoreConnection,
  lockNames: readonly string[],
  work: (trx: Kysely<StoreDatabase>) => Promise<T>,
): Promise<T> {
  const { db, dialect } = connection;
  if (dialect === 'postgres') {
    return db.transaction().execute(async (trx) => {
      for (const name of [...new Set(lockNames)].sort()) {
        await sql`select pg_advisory_xact_lock(${ADVISORY_LOCK_NAMESPACE}, hashtext(current_schema() || ${`/${name}`}))`.execute(
          trx,
        );
      }
      return work(trx);
    });
  }
  return inProcessQueue(connection.name, () =>
    db.connection().execute(async (single) => {
      await beginImmediate(single, connection);
      try {
        const result = await work(single);
        await sql`commit`.execute(single);
        return result;
      } catch (error) {
        // SQLite may already have rolled back (disk full, I/O error); the original error is the one to report.
        await sql`rollback`.execute(single).catch(() => undefined);
        throw error;
      }
    }),
  );
}

/** Runs `work` on one consistent view of the database. */
export async function readTransaction<T>(
  connection: StoreConnection,
  work: (trx: Kysely<StoreDatabase>) => Promise<T>,
): Promise<T> {
  if (connection.dialect === 'postgres') {
    return connection.db.transaction().setIsolationLevel('repeatable read').setAccessMode('read only').execute(work);
  }
  // A deferred SQLite transaction reads one WAL snapshot and never waits for writers.
  return connection.db.transaction().execute(work);
}

/** Queues `work` behind every earlier call with the same `name` in this process. */
export async function inProcessQueue<T>(name: string, work: () => Promise<T>): Promise<T> {
  const previous = sqliteWriteQueues.get(name) ?? Promise.resolve();
  const run = previous.then(work);
  const settled = run.catch(() => undefined);
  sqliteWriteQueues.set(name, settled);
  try {
    return await run;
  } finally {
    if (sqliteWriteQueues.get(name) === settled) sqliteWriteQueues.delete(name);
  }
}

async function beginImmediate(single: Kysely<StoreDatabase>, connection: StoreConnection): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await sql`begin immediate`.execute(single);
      return;
    } catch (error) {
      if (!isSqliteBusy(error)) throw error;
      if (attempt >= SQLITE_BEGIN_ATTEMPTS) {
        throw new StoreError(
          'busy',
          `the history store is locked by another writer and stayed locked for ${SQLITE_BEGIN_ATTEMPTS * 5} s; try again`,
          connection.where,
        );
      }
    }
  }
}
