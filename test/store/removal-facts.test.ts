import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { alignSnapshots } from '../../src/compare/matrix.js';
import type { Problem } from '../../src/errors.js';
import { runRules } from '../../src/rules/engine.js';
import { parsePack } from '../../src/rules/load-packs.js';
import type { Snapshot } from '../../src/snapshot/snapshot.js';
import { openStore } from '../../src/store/open-store.js';
import type { Store } from '../../src/store/store.js';
import { entry, snapshotOf } from './fixtures/synthetic.js';

const postgresUrl = process.env.DRIFTWATCH_TEST_DATABASE_URL;
const DAY_MS = 86_400_000;
const START = Date.UTC(2025, 0, 1);
const day = (index: number) => new Date(START + index * DAY_MS).toISOString();

const backends = [
  { name: 'sqlite', skip: false },
  { name: 'postgres', skip: !postgresUrl },
] as const;

for (const backend of backends) {
  describe.skipIf(backend.skip)(
    `store/removal facts on ${backend.name}${backend.skip ? ' (skipped: DRIFTWATCH_TEST_DATABASE_URL is unset)' : ''}`,
    () => {
      let configDir = '';
      let databaseUrl: string | undefined;
      let schema: string | undefined;
      let store: Store;

      beforeEach(async () => {
        configDir = mkdtempSync(path.join(tmpdir(), 'driftwatch-removals-'));
        if (backend.name === 'postgres' && postgresUrl) {
          // A fresh schema per test: parallel runs never see each other's rows.
          schema = `dw_test_${randomBytes(6).toString('hex')}`;
          const admin = new pg.Client({ connectionString: postgresUrl });
          await admin.connect();
          await admin.query(`create schema ${schema}`);
          await admin.end();
          databaseUrl = postgresUrl;
        }
        store = await openStore({ configDir, ...(databaseUrl ? { databaseUrl, schema } : {}) });
      });
      afterEach(async () => {
        await store.close();
        rmSync(configDir, { recursive: true, force: true });
        if (schema && postgresUrl) {
          const admin = new pg.Client({ connectionString: postgresUrl });
          await admin.connect();
          await admin.query(`drop schema ${schema} cascade`);
          await admin.end();
        }
        schema = undefined;
        databaseUrl = undefined;
      });

      /** Staging drops GLOBAL_OAUTH_SECRET on day 10 and changes again on day 20; production keeps it. */
      async function removalOnDayTen() {
        await store.saveSnapshot(snapshotOf('staging', day(0), [entry('GLOBAL_OAUTH_SECRET', '1'), entry('a', '1')]));
        await store.saveSnapshot(
          snapshotOf('production', day(0), [entry('GLOBAL_OAUTH_SECRET', '1'), entry('a', '1')]),
        );
        await store.saveSnapshot(snapshotOf('staging', day(10), [entry('a', '1')]));
        await store.saveSnapshot(snapshotOf('staging', day(20), [entry('a', '2')]));
      }

      it('keeps a removal that retention pruned, for as long as another environment holds the key', async () => {
        await removalOnDayTen();
        // Day 130, keepDays 90: the day-0 and day-10 snapshots of staging go, and the versions that ended in them.
        expect(await store.prune({ keepDays: 90, now: new Date(START + 130 * DAY_MS) })).toEqual({
          snapshotsDeleted: 2,
        });
        expect(await store.removedKeys('staging')).toEqual([{ key: 'GLOBAL_OAUTH_SECRET', removedAt: day(10) }]);

        // And the rule that needs it still finds the credential left behind, 120 days on.
        const now = new Date(START + 130 * DAY_MS);
        const snapshots: Snapshot[] = [
          snapshotOf('staging', day(130), [entry('a', '2')]),
          snapshotOf('production', day(130), [entry('GLOBAL_OAUTH_SECRET', '1'), entry('a', '1')]),
        ];
        const problems: Problem[] = [];
        const loaded = parsePack(
          'rules: [{id: gone, kind: removed-elsewhere}]',
          'p.yaml',
          { environments: ['staging', 'production'] },
          problems,
        );
        const history = { removedKeys: new Map([['staging', await store.removedKeys('staging')]]) };
        const { findings } = runRules(loaded, alignSnapshots(snapshots), { now, history });
        expect(findings.map((finding) => [finding.key, finding.envs, finding.message])).toEqual([
          [
            'GLOBAL_OAUTH_SECRET',
            ['production'],
            `GLOBAL_OAUTH_SECRET was removed from staging 120 days ago (${day(10).slice(0, 10)}) and is still set in production`,
          ],
        ]);
      });

      it('lets a removal go once no environment holds the key, and does not report one that was undone', async () => {
        await removalOnDayTen();
        await store.prune({ keepDays: 90, now: new Date(START + 130 * DAY_MS) });

        // Staging brings the key back: the removal no longer stands.
        await store.saveSnapshot(snapshotOf('staging', day(140), [entry('a', '2'), entry('GLOBAL_OAUTH_SECRET', '2')]));
        expect(await store.removedKeys('staging')).toEqual([]);
        await store.saveSnapshot(snapshotOf('staging', day(150), [entry('a', '2')]));
        expect(await store.removedKeys('staging')).toEqual([{ key: 'GLOBAL_OAUTH_SECRET', removedAt: day(150) }]);

        // Production drops it too; once retention prunes those snapshots, nothing is left to remember.
        await store.saveSnapshot(snapshotOf('production', day(160), [entry('a', '1')]));
        await store.saveSnapshot(snapshotOf('production', day(170), [entry('a', '3')]));
        await store.saveSnapshot(snapshotOf('staging', day(170), [entry('a', '3')]));
        await store.prune({ keepDays: 5, now: new Date(START + 200 * DAY_MS) });
        expect(await store.removedKeys('staging')).toEqual([]);
        expect(await store.removedKeys('production')).toEqual([]);
      });
    },
  );
}
