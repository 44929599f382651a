import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqliteDriverName } from '../../src/store/sqlite-driver.js';

const FIXTURE = path.join(import.meta.dirname, 'fixtures', 'drivers-loaded.ts');

/** Runs `driftwatch ...args` in a fresh process and says which database drivers it loaded. */
async function driversLoadedBy(cwd: string, args: readonly string[], env: Record<string, string> = {}) {
  const { stdout, stderr } = await promisify(execFile)(process.execPath, ['--import', 'tsx', FIXTURE, cwd, ...args], {
    env: { ...process.env, DRIFTWATCH_DATABASE_URL: '', ...env },
  });
  // node:sqlite where it is still experimental would say so here, on every command that opens the history.
  expect(stderr).not.toContain('ExperimentalWarning');
  return JSON.parse(stdout.trim().split('\n').at(-1) as string) as { code: number; drivers: string[] };
}

describe('store: database drivers load only when a store is opened', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'driftwatch-drivers-'));
    writeFileSync(
      path.join(dir, 'driftwatch.yaml'),
      'version: 1\nenvironments:\n  a: {sources: [{path: a.env}]}\n  b: {sources: [{path: b.env}]}\n',
    );
    writeFileSync(path.join(dir, 'a.env'), 'A=1\n');
    writeFileSync(path.join(dir, 'b.env'), 'A=2\n');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('check, diff and snapshot without --store load neither PostgreSQL nor SQLite', async () => {
    for (const args of [['check'], ['diff', 'a', 'b'], ['snapshot', '--all']]) {
      expect(await driversLoadedBy(dir, args), args.join(' ')).toEqual({ code: 0, drivers: [] });
    }
  });

  it('snapshot --store on the SQLite file loads SQLite only; a later check reads it without PostgreSQL', async () => {
    // One SQLite driver, the runtime's (see sqlite-driver.test.ts).
    const sqlite = sqliteDriverName();
    expect(await driversLoadedBy(dir, ['snapshot', '--all', '--store'])).toEqual({ code: 0, drivers: [sqlite] });
    expect(await driversLoadedBy(dir, ['check'])).toEqual({ code: 0, drivers: [sqlite] });
  });

  it('a PostgreSQL history loads PostgreSQL only', async () => {
    const result = await driversLoadedBy(dir, ['history'], {
      DRIFTWATCH_DATABASE_URL: 'postgres://dw@127.0.0.1:1/none',
    });
    expect(result).toEqual({ code: 2, drivers: ['pg'] });
  });
});
