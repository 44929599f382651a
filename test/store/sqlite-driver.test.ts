import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isSqliteBusy, openSqliteDatabase, sqliteDriverName } from '../../src/store/sqlite-driver.js';

describe('store/sqliteDriverName', () => {
  it('is node:sqlite from Node 24.15 on, where it does not warn, and better-sqlite3 before', () => {
    const drivers = Object.fromEntries(
      ['20.12.0', '22.13.0', '23.11.1', '24.0.0', '24.14.9', '24.15.0', '24.21.0', '25.0.0', '26.1.0'].map(
        (version) => [version, sqliteDriverName(version)],
      ),
    );
    expect(drivers).toEqual({
      '20.12.0': 'better-sqlite3',
      '22.13.0': 'better-sqlite3',
      '23.11.1': 'better-sqlite3',
      '24.0.0': 'better-sqlite3',
      '24.14.9': 'better-sqlite3',
      '24.15.0': 'node:sqlite',
      '24.21.0': 'node:sqlite',
      '25.0.0': 'node:sqlite',
      '26.1.0': 'node:sqlite',
    });
  });
});

describe(`store/openSqliteDatabase with ${sqliteDriverName()}`, () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'driftwatch-sqlite-driver-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('is the runtime driver, and answers statements as Kysely expects: readers, rows, changes, row ids', () => {
    const database = openSqliteDatabase(path.join(dir, 'a.db'));
    try {
      expect(database.driver).toBe(sqliteDriverName());
      expect(database.pragma('journal_mode = WAL')).toBe('wal');
      database.exec('create table t (id integer primary key, name text, size real, note text)');
      const insert = database.prepare('insert into t (name, size, note) values (?, ?, ?)');
      expect(insert.reader).toBe(false);
      expect(insert.run(['a', 1.5, null])).toEqual({ changes: 1, lastInsertRowid: 1 });
      expect(insert.run(['b', 2, 'x'])).toEqual({ changes: 1, lastInsertRowid: 2 });
      const returning = database.prepare('update t set size = size * 2 returning id, size');
      expect(returning.reader).toBe(true);
      expect(returning.all()).toEqual([
        { id: 1, size: 3 },
        { id: 2, size: 4 },
      ]);
      const select = database.prepare('select id, name, note from t where id >= ? order by id');
      expect(select.reader).toBe(true);
      expect(select.all([1])).toEqual([
        { id: 1, name: 'a', note: null },
        { id: 2, name: 'b', note: 'x' },
      ]);
      expect(select.get([2])).toEqual({ id: 2, name: 'b', note: 'x' });
      expect([...select.iterate([2])]).toEqual([{ id: 2, name: 'b', note: 'x' }]);
      expect(database.prepare('begin immediate').reader).toBe(false);
    } finally {
      database.close();
    }
  });

  it('opens read-only: reads, and refuses to write', () => {
    const file = path.join(dir, 'b.db');
    const writer = openSqliteDatabase(file);
    writer.exec("create table t (x text); insert into t values ('kept')");
    writer.close();
    const reader = openSqliteDatabase(file, { readonly: true });
    try {
      expect(reader.prepare('select x from t').all()).toEqual([{ x: 'kept' }]);
      expect(() => reader.exec("insert into t values ('no')")).toThrow(/readonly/);
    } finally {
      reader.close();
    }
  });

  it('reports a write lock held by another connection as busy, and other errors not', () => {
    const file = path.join(dir, 'c.db');
    const holder = openSqliteDatabase(file);
    const waiter = openSqliteDatabase(file);
    try {
      holder.pragma('journal_mode = WAL');
      holder.exec('create table t (x integer unique)');
      waiter.pragma('busy_timeout = 0');
      holder.exec('begin immediate');
      const locked = catchError(() => waiter.exec('begin immediate'));
      expect(isSqliteBusy(locked), String(locked)).toBe(true);
      holder.exec('insert into t values (1); commit');
      const duplicate = catchError(() => holder.prepare('insert into t values (?)').run([1]));
      expect(String(duplicate)).toMatch(/UNIQUE/);
      expect(isSqliteBusy(duplicate)).toBe(false);
    } finally {
      waiter.close();
      holder.close();
    }
  });
});

function catchError(work: () => unknown): unknown {
  try {
    work();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}
