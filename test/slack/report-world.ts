import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { Io } from '../../src/cli/io.js';
import { SQLITE_STORE_PATH } from '../../src/store/open-store.js';
import { openSqliteDatabase } from '../../src/store/sqlite-driver.js';

export const postgresUrl = process.env.DRIFTWATCH_TEST_DATABASE_URL;

export interface Backend {
  readonly name: 'sqlite' | 'postgres';
  readonly skipReason?: string;
}

export const backends: readonly Backend[] = [
  { name: 'sqlite' },
  { name: 'postgres', ...(postgresUrl ? {} : { skipReason: 'DRIFTWATCH_TEST_DATABASE_URL is unset' }) },
];

export function describeTitle(title: string, backend: Backend): string {
  return backend.skipReason
    ? `${title} on ${backend.name} (skipped: ${backend.skipReason})`
    : `${title} on ${backend.name}`;
}

/** One test's world: a config directory, its history (a SQLite file or a fresh PostgreSQL schema), an Io. */
export interface ReportWorld {
  readonly dir: string;
  /** The environment commands see: the fingerprint key, the database URL, whatever the test adds. */
  readonly env: Record<string, string>;
  write(name: string, text: string): void;
  /** An Io over the world, capturing what a command writes. */
  io(extraEnv?: Record<string, string>): { io: Io; output: { stdout: string; stderr: string } };
  outboxRows(): Promise<Record<string, unknown>[]>;
  /** Whether `needle` is anywhere the history keeps data: the SQLite files' bytes, or every row of every table. */
  contains(needle: string): Promise<boolean>;
  dispose(): Promise<void>;
}

export async function createWorld(backend: Backend): Promise<ReportWorld> {
  const dir = mkdtempSync(path.join(tmpdir(), 'driftwatch-report-'));
  const env: Record<string, string> = { DRIFTWATCH_FINGERPRINT_KEY: '0123456789abcdef'.repeat(4) };
  let admin: pg.Client | undefined;
  let schema: string | undefined;
  if (backend.name === 'postgres' && postgresUrl) {
    admin = new pg.Client({ connectionString: postgresUrl });
    await admin.connect();
    // Every test its own schema: parallel files and runs never see each other's rows.
    schema = `dw_report_${randomBytes(6).toString('hex')}`;
    await admin.query(`create schema ${schema}`);
    env.DRIFTWATCH_DATABASE_URL = postgresUrl;
    env.DRIFTWATCH_DATABASE_SCHEMA = schema;
  }
  const sqliteFile = path.join(dir, SQLITE_STORE_PATH);
  return {
    dir,
    env,
    write: (name, text) => writeFileSync(path.join(dir, name), text),
    io(extraEnv = {}) {
      const output = { stdout: '', stderr: '' };
      const io: Io = {
        cwd: dir,
        env: { ...env, ...extraEnv },
        stdout: { write: (text: string) => (output.stdout += text), isTTY: false },
        stderr: { write: (text: string) => (output.stderr += text), isTTY: false },
      };
      return { io, output };
    },
    async outboxRows() {
      if (admin) return (await admin.query(`select * from ${schema}.report_outbox order by id`)).rows;
      if (!existsSync(sqliteFile)) return [];
      const raw = openSqliteDatabase(sqliteFile, { readonly: true });
      try {
        return raw.prepare('select * from report_outbox order by id').all() as Record<string, unknown>[];
      } finally {
        raw.close();
      }
    },
    async contains(needle) {
      if (!admin) {
        const stateDir = path.dirname(sqliteFile);
        const files = readdirSync(stateDir).filter((name) => name.startsWith('driftwatch.db'));
        if (!files.includes('driftwatch.db')) throw new Error('no SQLite history to search');
        return files.some((name) => readFileSync(path.join(stateDir, name)).includes(needle));
      }
      const tables = await admin.query<{ table_name: string }>(
        'select table_name from information_schema.tables where table_schema = $1',
        [schema],
      );
      if (!tables.rows.some((row) => row.table_name === 'report_outbox')) throw new Error('no outbox to search');
      for (const { table_name } of tables.rows) {
        const rows = await admin.query<{ row: string }>(`select t::text as row from ${schema}."${table_name}" t`);
        if (rows.rows.some(({ row }) => row.includes(needle))) return true;
      }
      return false;
    },
    async dispose() {
      rmSync(dir, { recursive: true, force: true });
      if (admin) {
        await admin.query(`drop schema ${schema} cascade`);
        await admin.end();
      }
    },
  };
}
