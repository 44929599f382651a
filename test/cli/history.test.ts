import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { NO_HISTORY_NOTICE } from '../../src/check/check-history.js';
import { checkCommand } from '../../src/cli/check.js';
import { NO_HISTORY_MESSAGE } from '../../src/cli/history.js';
import type { Io } from '../../src/cli/io.js';
import { snapshotCommand } from '../../src/cli/snapshot.js';
import { openStore, SQLITE_STORE_PATH } from '../../src/store/open-store.js';
import { TEST_FINGERPRINT_KEY } from '../helpers/fingerprint-key.js';
import { run } from './io.js';

const postgresUrl = process.env.DRIFTWATCH_TEST_DATABASE_URL;
if (!postgresUrl) {
  console.warn(
    'cli/history: PostgreSQL tests skipped; set DRIFTWATCH_TEST_DATABASE_URL=postgres://user@127.0.0.1:5432/db to run them',
  );
}

const DAY_MS = 86_400_000;
const CANARIES = {
  byName: 'canary-history-pw-4b8e21',
  urlPassword: 'canary-history-url-9d0c37',
  byShape: 'ghp_HISTORYcanaryHISTORYcanary1234567890',
};

const CONFIG = [
  'version: 1',
  'environments:',
  '  staging: {sources: [{path: staging.yaml}]}',
  '  production: {sources: [{path: production.yaml}]}',
  'history: {keepDays: 30}',
].join('\n');

/** Line numbers matter: history shows where each version was written. */
const STAGING = ['app:', '  name: shop', '  pool: 10', 'oauth:', '  tenant:', '    client_id: t-1', ''].join('\n');
const PRODUCTION = `${STAGING}  global:\n    client_id: 8f14e45fceea167a5a36dedd4bea2543\n`;

interface Backend {
  readonly name: 'sqlite' | 'postgres';
  readonly skipReason?: string;
}

const backends: Backend[] = [
  { name: 'sqlite' },
  { name: 'postgres', ...(postgresUrl ? {} : { skipReason: 'DRIFTWATCH_TEST_DATABASE_URL is unset' }) },
];

for (const backend of backends) {
  const title = backend.skipReason
    ? `cli/history on ${backend.name} (skipped: ${backend.skipReason})`
    : `cli/history on ${backend.name}`;

  describe.skipIf(backend.skipReason !== undefined)(title, () => {
    let admin: pg.Client | undefined;
    let dir = '';
    let schema: string | undefined;
    /** The Io environment of every command: DRIFTWATCH_DATABASE_URL selects PostgreSQL. */
    let env: Record<string, string> = {};
    /** driftwatch.yaml; on PostgreSQL it names the test's own schema. */
    let config = CONFIG;

    beforeAll(async () => {
      if (backend.name !== 'postgres') return;
      admin = new pg.Client({ connectionString: postgresUrl });
      await admin.connect();
    });
    afterAll(async () => {
      await admin?.end();
    });
    beforeEach(async () => {
      dir = mkdtempSync(path.join(tmpdir(), 'driftwatch-history-'));
      env = {};
      config = CONFIG;
      if (admin && postgresUrl) {
        // Every test its own schema: parallel files and runs never see each other's rows.
        schema = `dw_cli_${randomBytes(6).toString('hex')}`;
        await admin.query(`create schema ${schema}`);
        env = { DRIFTWATCH_DATABASE_URL: postgresUrl };
        config = CONFIG.replace('history: {keepDays: 30}', `history: {keepDays: 30, schema: ${schema}}`);
      }
      writeFileSync(path.join(dir, 'driftwatch.yaml'), config);
      write('staging.yaml', STAGING);
      write('production.yaml', PRODUCTION);
    });
    afterEach(async () => {
      rmSync(dir, { recursive: true, force: true });
      if (admin && schema) await admin.query(`drop schema ${schema} cascade`);
      schema = undefined;
    });

    const driftwatch = (...args: string[]) => run(dir, args, env);
    const write = (name: string, text: string) => writeFileSync(path.join(dir, name), text);
    const sqliteFile = () => path.join(dir, SQLITE_STORE_PATH);

    async function latestKeyCount(name: string): Promise<number | undefined> {
      const store = await openStore({
        configDir: dir,
        ...(schema ? { databaseUrl: env.DRIFTWATCH_DATABASE_URL, schema } : {}),
      });
      try {
        return (await store.latestSnapshot(name))?.keyCount;
      } finally {
        await store.close();
      }
    }

    /** Whether `needle` is anywhere the database keeps data: the SQLite files' bytes, or every row of every table. */
    async function databaseContains(needle: string): Promise<boolean> {
      if (!admin) {
        const stateDir = path.dirname(sqliteFile());
        const files = readdirSync(stateDir).filter((name) => name.startsWith('driftwatch.db'));
        expect(files).toContain('driftwatch.db');
        return files.some((name) => readFileSync(path.join(stateDir, name)).includes(needle));
      }
      const tables = await admin.query<{ table_name: string }>(
        'select table_name from information_schema.tables where table_schema = $1',
        [schema],
      );
      expect(tables.rows.length).toBeGreaterThanOrEqual(3);
      for (const { table_name } of tables.rows) {
        const rows = await admin.query<{ row: string }>(`select t::text as row from ${schema}."${table_name}" t`);
        if (rows.rows.some(({ row }) => row.includes(needle))) return true;
      }
      return false;
    }

    /** An Io over the test's directory and environment, capturing what a command writes. */
    function capturingIo() {
      const output = { stdout: '', stderr: '' };
      const io: Io = {
        cwd: dir,
        env: { DRIFTWATCH_FINGERPRINT_KEY: TEST_FINGERPRINT_KEY, ...env },
        stdout: { write: (text: string) => (output.stdout += text), isTTY: false },
        stderr: { write: (text: string) => (output.stderr += text), isTTY: false },
      };
      return { io, output };
    }

    /** `check --format json` at a chosen moment, through the command function (the CLI has no clock flag). */
    async function checkAt(now: Date, extra: { acceptShrink?: boolean } = {}) {
      const { io, output } = capturingIo();
      const code = await checkCommand({ format: ['json'], failOn: 'never', now, ...extra }, io);
      return { code, stderr: output.stderr, report: JSON.parse(output.stdout) };
    }

    it('stores snapshots, skips an unchanged one, and shows when keys were added, changed and removed', async () => {
      const first = await driftwatch('snapshot', '--all', '--store');
      expect(first).toMatchObject({ code: 0, stderr: '' });
      expect(first.stdout).toBe('stored staging: 3 keys (snapshot 1)\nstored production: 4 keys (snapshot 2)\n');

      const again = await driftwatch('snapshot', '--all', '--store');
      expect(again.code).toBe(0);
      expect(again.stdout).toBe(
        'unchanged staging: 3 keys (same as snapshot 1)\nunchanged production: 4 keys (same as snapshot 2)\n',
      );

      write('production.yaml', STAGING.replace('pool: 10', 'pool: 20\n  region: eu'));
      const changed = await driftwatch('snapshot', '--env', 'production', '--store');
      expect(changed.stdout).toBe('stored production: 4 keys (snapshot 3)\n');

      const pool = await driftwatch('history', 'app.pool', '--env', 'production');
      expect(pool.code).toBe(0);
      expect(pool.stdout.split('\n').map(withoutTime)).toEqual([
        'production  added    app.pool = 10  production.yaml:3',
        'production  changed  app.pool = 20  production.yaml:3',
        '',
      ]);

      const oauth = await driftwatch('history', 'oauth.global.client_id');
      expect(oauth.stdout.split('\n').map(withoutTime)).toEqual([
        'production  added    oauth.global.client_id = 8f14e45fceea167a5a36dedd4bea2543  production.yaml:8',
        'production  removed  oauth.global.client_id  production.yaml:8',
        '',
      ]);

      const everything = await driftwatch('history');
      const lines = everything.stdout.trim().split('\n');
      expect(lines).toHaveLength(3 + 4 + 3);
      expect(lines.every((line) => /^\d{4}-\d\d-\d\d \d\d:\d\d {2}(staging {3}|production) {2}/.test(line))).toBe(true);

      const json = await driftwatch('history', '--env', 'production', '--format', 'json', '--limit', '3');
      const events = JSON.parse(json.stdout).events;
      expect(events.map((event: { key: string; change: string }) => [event.change, event.key])).toEqual([
        ['changed', 'app.pool'],
        ['added', 'app.region'],
        ['removed', 'oauth.global.client_id'],
      ]);
      expect(events[0]).toMatchObject({ env: 'production', snapshot: 3, type: 'number', value: 20, sensitive: false });
      expect(events[0].origin).toEqual({ file: 'production.yaml', line: 3, column: 9 });

      expect((await driftwatch('history', 'no.such.key')).stdout).toBe('no changes to no.such.key recorded\n');
    });

    it('says plainly when nothing is stored yet, and a plain check creates no database', async () => {
      const history = await driftwatch('history');
      expect(history).toEqual({ code: 0, stdout: `${NO_HISTORY_MESSAGE}\n`, stderr: '' });

      // The recommended pack's history rule alone says nothing: every first check would say it.
      const check = await driftwatch('check', '--fail-on', 'never');
      expect(check.code).toBe(0);
      expect(check.stderr).not.toContain('history:');
      if (backend.name === 'sqlite') expect(existsSync(sqliteFile())).toBe(false);

      // A history rule the user wrote: said once, and only with the text report.
      write('rules.yaml', 'rules:\n  - {id: gone-from-staging, kind: removed-elsewhere, from: staging}\n');
      writeFileSync(path.join(dir, 'driftwatch.yaml'), `${config}\nrules: [driftwatch:recommended, rules.yaml]\n`);
      const text = await driftwatch('check', '--fail-on', 'never');
      expect(text.stderr).toBe(`${NO_HISTORY_NOTICE}\n`);
      const machine = await driftwatch('check', '--fail-on', 'never', '--format', 'json');
      expect(machine.stderr).toBe('');
      if (backend.name === 'sqlite') expect(existsSync(sqliteFile())).toBe(false);

      const json = await driftwatch('history', '--format', 'json');
      expect(JSON.parse(json.stdout)).toEqual({ version: 1, events: [] });
      expect(json.stderr).toContain(NO_HISTORY_MESSAGE);
    });

    it('rejects an unknown environment and a bad --limit as usage errors', async () => {
      await driftwatch('snapshot', '--all', '--store');
      const unknown = await driftwatch('history', '--env', 'prod');
      expect(unknown.code).toBe(2);
      expect(unknown.stderr).toBe("error: unknown environment 'prod'; the config defines staging, production\n");
      expect((await driftwatch('history', '--limit', '0')).code).toBe(2);
      expect((await driftwatch('snapshot', '--all', '--accept-shrink')).code).toBe(2);
    });

    it('refuses to store a snapshot that lost most of its keys, unless the shrink is accepted', async () => {
      write('production.yaml', Array.from({ length: 10 }, (_, index) => `key${index}: ${index}\n`).join(''));
      expect((await driftwatch('snapshot', '--all', '--store')).code).toBe(0);

      write('production.yaml', 'key0: 0\nkey1: 1\n');
      const shrunk = await driftwatch('snapshot', '--all', '--store');
      expect(shrunk.code).toBe(2);
      expect(shrunk.stdout).toBe('unchanged staging: 3 keys (same as snapshot 1)\n');
      expect(shrunk.stderr).toContain(
        'error: [production] not stored: production has 2 keys, down from 10 at its last snapshot (-80%); pass --accept-shrink if this is intended',
      );
      expect(await latestKeyCount('production')).toBe(10);

      // check fails closed on the same shrink, and passes it when told to.
      const checked = await checkAt(new Date());
      expect(checked.code).toBe(2);
      expect(checked.report.findings).toEqual([]);
      expect(checked.report.errors).toEqual([
        {
          source: 'history',
          env: 'production',
          message:
            'production has 2 keys, down from 10 at its last snapshot (-80%); pass --accept-shrink if this is intended',
        },
      ]);
      expect((await checkAt(new Date(), { acceptShrink: true })).code).toBe(0);

      const accepted = await driftwatch('snapshot', '--all', '--store', '--accept-shrink');
      expect(accepted.code).toBe(0);
      expect(accepted.stdout).toContain('stored production: 2 keys (snapshot 3)');
      expect(await latestKeyCount('production')).toBe(2);
    });

    it('stores nothing when a source fails', async () => {
      writeFileSync(path.join(dir, 'production.yaml'), 'app:\n  pool: [10\n');
      const broken = await driftwatch('snapshot', '--all', '--store');
      expect(broken.code).toBe(2);
      expect(broken.stdout).toBe('');
      expect(broken.stderr).toContain('driftwatch: nothing stored: 1 source problem;');
      if (backend.name === 'sqlite') expect(existsSync(sqliteFile())).toBe(false);
      else expect(await latestKeyCount('staging')).toBeUndefined();
    });

    it('never stores or shows a secret, only its fingerprint', async () => {
      const secrets = [
        'db:',
        `  password: ${CANARIES.byName}`,
        `  url: postgres://app:${CANARIES.urlPassword}@db.internal:5432/app`,
        'ci:',
        `  note: ${CANARIES.byShape}`,
        '',
      ].join('\n');
      write('staging.yaml', `${STAGING}${secrets}`);
      expect((await driftwatch('snapshot', '--all', '--store')).code).toBe(0);
      write('staging.yaml', `${STAGING}${secrets.replace(CANARIES.byName, `${CANARIES.byName}-rotated`)}`);
      expect((await driftwatch('snapshot', '--all', '--store')).code).toBe(0);

      for (const canary of Object.values(CANARIES)) expect(await databaseContains(canary), canary).toBe(false);
      const outputs = [
        await driftwatch('history'),
        await driftwatch('history', '--format', 'json'),
        await driftwatch('history', 'db.password', '--env', 'staging'),
      ];
      for (const output of outputs) {
        for (const canary of Object.values(CANARIES)) expect(output.stdout + output.stderr).not.toContain(canary);
      }
      expect(outputs[2]?.stdout.split('\n').map(withoutTime)).toEqual([
        expect.stringMatching(/^staging {2}added {4}db\.password = fp:[0-9a-f]{8} {2}staging\.yaml:8$/),
        expect.stringMatching(/^staging {2}changed {2}db\.password = fp:[0-9a-f]{8} {2}staging\.yaml:8$/),
        '',
      ]);
      // The URL's visible parts are not shown either: the store keeps no value of a sensitive key.
      expect(outputs[0]?.stdout).toMatch(/db\.url = fp:[0-9a-f]{8}/);
    });

    it('prunes snapshots older than keepDays after storing, but keeps each environment`s latest', async () => {
      expect((await driftwatch('snapshot', '--all', '--store')).code).toBe(0);
      write('production.yaml', PRODUCTION.replace('pool: 10', 'pool: 20'));
      expect((await driftwatch('snapshot', '--all', '--store')).stdout).toContain(
        'stored production: 4 keys (snapshot 3)',
      );

      // 40 days on, with keepDays: 30, every snapshot is old: all go but the latest of each environment.
      write('production.yaml', PRODUCTION.replace('pool: 10', 'pool: 30'));
      const { io, output } = capturingIo();
      const code = await snapshotCommand({ all: true, store: true, now: new Date(Date.now() + 40 * DAY_MS) }, io);
      expect(code).toBe(0);
      expect(output.stdout).toBe(
        [
          'unchanged staging: 3 keys (same as snapshot 1)',
          'stored production: 4 keys (snapshot 4)',
          'pruned 2 snapshots older than 30 days',
          '',
        ].join('\n'),
      );
      expect(await latestKeyCount('staging')).toBe(3);
      const pool = await driftwatch('history', 'app.pool', '--env', 'production', '--format', 'json');
      expect(JSON.parse(pool.stdout).events.map((event: { snapshot: number }) => event.snapshot)).toEqual([4]);
    });

    it('rejects a history block that is not a positive number of days', async () => {
      writeFileSync(path.join(dir, 'driftwatch.yaml'), config.replace('keepDays: 30', 'keepDays: 0'));
      const zero = await driftwatch('snapshot', '--all', '--store');
      expect(zero.code).toBe(2);
      expect(zero.stderr).toMatch(
        /^error: driftwatch\.yaml:5:\d+: history\.keepDays: keepDays is a whole number of days/,
      );
      writeFileSync(path.join(dir, 'driftwatch.yaml'), config.replace('keepDays: 30', 'keep: 30'));
      expect((await driftwatch('history')).stderr).toContain("unknown field 'keep'");
    });

    it('still flags a key removed from staging 120 days ago after retention (keepDays 30) pruned its snapshots', async () => {
      expect((await driftwatch('snapshot', '--all', '--store')).code).toBe(0);
      write('staging.yaml', STAGING.replace('  pool: 10\n', ''));
      expect((await driftwatch('snapshot', '--all', '--store')).stdout).toContain('stored staging: 2 keys');
      // One more change, so that the snapshot that recorded the removal is not staging's latest.
      write('staging.yaml', STAGING.replace('  pool: 10\n', '').replace('shop', 'shop-2'));
      expect((await driftwatch('snapshot', '--all', '--store')).stdout).toContain('stored staging: 2 keys');
      const removedOn = new Date().toISOString().slice(0, 10);

      const later = new Date(Date.now() + 120 * DAY_MS);
      const { io, output } = capturingIo();
      expect(await snapshotCommand({ all: true, store: true, now: later }, io)).toBe(0);
      expect(output.stdout).toContain('pruned 2 snapshots older than 30 days');

      const checked = await checkAt(later);
      const stale = checked.report.findings.filter((finding: { kind: string }) => finding.kind === 'removed-elsewhere');
      expect(
        stale.map((finding: { key: string; envs: string[]; message: string }) => [
          finding.key,
          finding.envs,
          finding.message,
        ]),
      ).toEqual([
        [
          'app.pool',
          ['production'],
          `app.pool was removed from staging 120 days ago (${removedOn}) and is still set in production`,
        ],
      ]);
    });

    it('flags a key removed from staging weeks ago and still in production, with first-seen dates that stay put', async () => {
      expect((await driftwatch('snapshot', '--all', '--store')).code).toBe(0);
      // Production keeps the global credentials staging never had; staging now drops its pool setting too.
      write('staging.yaml', STAGING.replace('  pool: 10\n', ''));
      expect((await driftwatch('snapshot', '--all', '--store')).stdout).toContain('stored staging: 2 keys');
      const removedOn = new Date().toISOString().slice(0, 10);

      const today = await checkAt(new Date());
      expect(today.stderr).not.toContain(NO_HISTORY_NOTICE);
      expect(today.report.findings.filter((finding: { kind: string }) => finding.kind === 'removed-elsewhere')).toEqual(
        [],
      );
      const parityToday = today.report.findings.find((finding: { key: string }) => finding.key === 'app.pool');
      expect(parityToday.firstSeen).toBe(removedOn);

      const later = new Date(Date.now() + 20 * DAY_MS + 3_600_000);
      const weeksLater = await checkAt(later);
      const retired = weeksLater.report.findings.filter(
        (finding: { kind: string }) => finding.kind === 'removed-elsewhere',
      );
      expect(retired).toHaveLength(1);
      expect(retired[0]).toMatchObject({
        rule: 'removed-elsewhere',
        severity: 'error',
        key: 'app.pool',
        envs: ['production'],
        message: `app.pool was removed from staging 20 days ago (${removedOn}) and is still set in production`,
        locations: [{ env: 'production', file: 'production.yaml', line: 3, column: 9 }],
        firstSeen: later.toISOString().slice(0, 10),
      });
      // The parity finding has existed since the first check; its first sighting does not move.
      const parityLater = weeksLater.report.findings.find(
        (finding: { key: string; kind: string }) => finding.key === 'app.pool' && finding.kind === 'parity',
      );
      expect(parityLater.firstSeen).toBe(removedOn);

      const evenLater = await checkAt(new Date(later.getTime() + 5 * DAY_MS));
      const retiredAgain = evenLater.report.findings.find(
        (finding: { kind: string }) => finding.kind === 'removed-elsewhere',
      );
      expect(retiredAgain.firstSeen).toBe(later.toISOString().slice(0, 10));
    });
  });
}

/** A history line without its `YYYY-MM-DD HH:MM  ` prefix, which depends on the clock. */
function withoutTime(line: string): string {
  return line.replace(/^\d{4}-\d\d-\d\d \d\d:\d\d {2}/, '');
}
