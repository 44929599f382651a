import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/open-store.js';
import type { NewSnapshotRound } from '../../src/store/snapshot-rounds.js';
import type { Store } from '../../src/store/store.js';
import { createTestSchemas, postgresSkipReason, type TestSchemas } from '../server/postgres.js';
import { entry, snapshotOf } from './fixtures/synthetic.js';

interface Backend {
  readonly name: string;
  readonly skipReason: string | undefined;
  open(): Promise<{ store: Store; dispose(): Promise<void> }>;
}

const backends: Backend[] = [
  {
    name: 'sqlite',
    skipReason: undefined,
    async open() {
      const configDir = mkdtempSync(path.join(tmpdir(), 'driftwatch-rounds-'));
      const store = await openStore({ configDir });
      return {
        store,
        async dispose() {
          await store.close();
          rmSync(configDir, { recursive: true, force: true });
        },
      };
    },
  },
  {
    name: 'postgres',
    skipReason: postgresSkipReason,
    async open() {
      const schemas: TestSchemas = await createTestSchemas();
      const store = await openStore({
        configDir: tmpdir(),
        databaseUrl: schemas.storeUrl,
        schema: schemas.storeSchema,
      });
      return {
        store,
        async dispose() {
          await store.close();
          await schemas.drop();
        },
      };
    },
  },
];

const HINT = 'kept out of the history';

function keys(count: number) {
  return Array.from({ length: count }, (_, index) => entry(`key${String(index).padStart(3, '0')}`, `fp-${index}`));
}

function round(occurrence: string, count: number, generation = 0): NewSnapshotRound {
  const entries = keys(count).map((e) => ({ ...e, fingerprint: `${e.fingerprint}-${generation}` }));
  return {
    occurrence,
    recordedAt: occurrence,
    snapshot: snapshotOf('production', occurrence, entries),
    shrinkHint: HINT,
  };
}

for (const backend of backends) {
  describe.skipIf(backend.skipReason !== undefined)(`store/snapshot rounds on ${backend.name}`, () => {
    let disposeStore: (() => Promise<void>) | undefined;
    const open = async () => {
      const opened = await backend.open();
      disposeStore = opened.dispose;
      return opened.store;
    };
    afterEach(async () => {
      await disposeStore?.();
      disposeStore = undefined;
    });

    it('records an environment once per occurrence, also when two runs of it race', async () => {
      const store = await open();
      const t1 = '2026-12-01T08:00:00.000Z';
      const results = await Promise.all([
        store.recordSnapshotRound(round(t1, 10, 1)),
        store.recordSnapshotRound(round(t1, 10, 2)),
      ]);
      expect(results.map((result) => result.created).sort()).toEqual([false, true]);
      expect(results[0]?.round).toEqual(results[1]?.round);
      expect(results[0]?.round).toMatchObject({ occurrence: t1, env: 'production', status: 'stored', keyCount: 10 });
      expect((await store.latestSnapshot('production'))?.id).toBe(results[0]?.round.snapshotId);
      expect(await store.snapshotRounds(t1)).toEqual([results[0]?.round]);

      // The same content at the next occurrences: stored once, then unchanged.
      expect((await store.recordSnapshotRound(round('2026-12-01T08:15:00.000Z', 10, 9))).round.status).toBe('stored');
      expect((await store.recordSnapshotRound(round('2026-12-01T08:30:00.000Z', 10, 9))).round.status).toBe(
        'unchanged',
      );
    });

    it('keeps a failed and a suspicious round out of the history, and lists them since a moment', async () => {
      const store = await open();
      const t1 = '2026-12-01T08:00:00.000Z';
      const t2 = '2026-12-01T08:15:00.000Z';
      const t3 = '2026-12-01T08:30:00.000Z';
      const stored = await store.recordSnapshotRound(round(t1, 10));
      const failed = await store.recordSnapshotRound({
        occurrence: t2,
        env: 'production',
        recordedAt: t2,
        problems: [{ source: 'url: https://config.internal/api', message: 'answered 503', line: 3 }],
      });
      expect(failed.round).toEqual({
        occurrence: t2,
        env: 'production',
        recordedAt: t2,
        status: 'failed',
        problems: [{ source: 'url: https://config.internal/api', message: 'answered 503', line: 3 }],
      });
      const suspicious = await store.recordSnapshotRound(round(t3, 4, 5));
      expect(suspicious.round).toMatchObject({ status: 'suspicious', keyCount: 4 });
      expect(suspicious.round.problems).toEqual([
        { message: `production has 4 keys, down from 10 at its last snapshot (-60%); ${HINT}` },
      ]);
      expect((await store.latestSnapshot('production'))?.id).toBe(stored.round.snapshotId);
      expect((await store.troubledSnapshotRounds()).map((r) => r.status)).toEqual(['failed', 'suspicious']);
      expect((await store.troubledSnapshotRounds(t2)).map((r) => r.status)).toEqual(['suspicious']);

      // Retention lets rounds go with the snapshots they would have been.
      await store.prune({ keepDays: 1, now: new Date('2026-12-02T08:20:00.000Z') });
      expect((await store.troubledSnapshotRounds()).map((r) => r.occurrence)).toEqual([t3]);
    });
  });
}
