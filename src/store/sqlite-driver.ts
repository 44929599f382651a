/**
 * The one place that opens a SQLite file. From Node 24.15 on it is Node's own
 * `node:sqlite`; before that, better-sqlite3. better-sqlite3 12 (the last line
 * that installs on Node 20) aborts the process on Node 24.19+ when the garbage
 * collector finalises a statement, and 13 needs Node 22; node:sqlite carries
 * no native module of ours at all. Earlier Nodes have node:sqlite too, but it
 * is experimental there and prints an ExperimentalWarning on first use (and
 * needs a flag before 22.13); 24.15 made it a release candidate, which does
 * not warn. On those Nodes better-sqlite3 12 runs fine and stays quiet.
 *
 * Both drivers are loaded only when a file is opened: a command that never
 * opens a store loads neither. Opening is synchronous, as both drivers are.
 */
import { createRequire } from 'node:module';
import type BetterSqlite3 from 'better-sqlite3';

export type SqliteDriverName = 'node:sqlite' | 'better-sqlite3';

/** What Kysely's SqliteDialect calls, plus `get` for a single row. Parameters are passed as one array. */
export interface SqliteStatement {
  /** Whether the statement returns rows (a select, a pragma that answers, `returning`). */
  readonly reader: boolean;
  all(parameters?: readonly unknown[]): unknown[];
  get(parameters?: readonly unknown[]): unknown;
  run(parameters?: readonly unknown[]): { changes: number | bigint; lastInsertRowid: number | bigint };
  iterate(parameters?: readonly unknown[]): IterableIterator<unknown>;
}

/** An open SQLite file, whichever driver opened it; Kysely's SqliteDialect takes it as its `database`. */
export interface SqliteDatabase {
  readonly driver: SqliteDriverName;
  prepare(sql: string): SqliteStatement;
  /** Runs one or more statements that return nothing. */
  exec(sql: string): void;
  /** `pragma journal_mode = WAL` → the first column of the first row it answers (`'wal'`), or undefined. */
  pragma(text: string): unknown;
  close(): void;
}

export interface OpenSqliteOptions {
  /** Opens without the right to write; the file must exist. */
  readonly readonly?: boolean;
}

/** The driver this runtime uses: node:sqlite from Node 24.15 on. */
export function sqliteDriverName(nodeVersion = process.versions.node): SqliteDriverName {
  const [major = 0, minor = 0] = nodeVersion.split('.').map(Number);
  return major > 24 || (major === 24 && minor >= 15) ? 'node:sqlite' : 'better-sqlite3';
}

/** Opens (creating unless read-only) the SQLite file at `file`. Throws the driver's error. */
export function openSqliteDatabase(file: string, options: OpenSqliteOptions = {}): SqliteDatabase {
  return sqliteDriverName() === 'node:sqlite'
    ? openWithNodeSqlite(file, options)
    : openWithBetterSqlite3(file, options);
}

/**
 * Whether a SQLite error says another connection holds the lock. better-sqlite3
 * names the code (`SQLITE_BUSY`, `SQLITE_BUSY_SNAPSHOT`); node:sqlite gives the
 * extended result code, whose low byte is the primary one (SQLITE_BUSY = 5).
 */
export function isSqliteBusy(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  if ('code' in error && String(error.code).startsWith('SQLITE_BUSY')) return true;
  return 'errcode' in error && typeof error.errcode === 'number' && (error.errcode & 0xff) === SQLITE_BUSY;
}

const SQLITE_BUSY = 5;

/**
 * better-sqlite3 is CommonJS: required synchronously, so opening a file needs
 * no await. It is missing where only node:sqlite was meant to run (the
 * Action's bundle carries no native module): say that, not a require stack.
 */
function requireBetterSqlite3(): typeof BetterSqlite3 {
  try {
    return createRequire(import.meta.url)('better-sqlite3') as typeof BetterSqlite3;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'MODULE_NOT_FOUND') throw error;
    throw new Error(
      `SQLite needs Node.js 24.15 or later (node:sqlite) or the better-sqlite3 package, and this is Node.js ${process.versions.node} without it`,
    );
  }
}

/** The part of node:sqlite this module uses (@types/node 20 does not describe it). */
interface NodeSqliteModule {
  DatabaseSync: new (file: string, options?: { readOnly?: boolean }) => NodeSqliteDatabase;
}

interface NodeSqliteDatabase {
  prepare(sql: string): NodeSqliteStatement;
  exec(sql: string): void;
  close(): void;
}

interface NodeSqliteStatement {
  columns(): readonly unknown[];
  all(...parameters: unknown[]): unknown[];
  get(...parameters: unknown[]): unknown;
  run(...parameters: unknown[]): { changes: number | bigint; lastInsertRowid: number | bigint };
  iterate(...parameters: unknown[]): IterableIterator<unknown>;
}

function openWithNodeSqlite(file: string, options: OpenSqliteOptions): SqliteDatabase {
  // getBuiltinModule rather than import(): Node 20's types know no node:sqlite, and bundlers leave it alone.
  const { DatabaseSync } = process.getBuiltinModule('node:sqlite') as NodeSqliteModule;
  const database = new DatabaseSync(file, { readOnly: options.readonly === true });
  return {
    driver: 'node:sqlite',
    prepare(sql) {
      const statement = database.prepare(sql);
      return {
        reader: statement.columns().length > 0,
        all: (parameters = []) => statement.all(...parameters),
        get: (parameters = []) => statement.get(...parameters),
        run: (parameters = []) => statement.run(...parameters),
        iterate: (parameters = []) => statement.iterate(...parameters),
      };
    },
    exec: (sql) => database.exec(sql),
    pragma(text) {
      const row = database.prepare(`pragma ${text}`).get() as Record<string, unknown> | undefined;
      return row === undefined ? undefined : Object.values(row)[0];
    },
    close: () => database.close(),
  };
}

function openWithBetterSqlite3(file: string, options: OpenSqliteOptions): SqliteDatabase {
  const Database = requireBetterSqlite3();
  const database: BetterSqlite3.Database = new Database(file, { readonly: options.readonly === true });
  return {
    driver: 'better-sqlite3',
    prepare(sql) {
      const statement = database.prepare(sql);
      return {
        reader: statement.reader,
        all: (parameters = []) => statement.all(...parameters),
        get: (parameters = []) => statement.get(...parameters),
        run: (parameters = []) => statement.run(...parameters),
        iterate: (parameters = []) => statement.iterate(...parameters),
      };
    },
    exec: (sql) => void database.exec(sql),
    pragma: (text) => database.pragma(text, { simple: true }),
    close: () => void database.close(),
  };
}
