import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/open-store.js';
import type { OutboxFinding } from '../../src/store/report-outbox.js';
import type { Store } from '../../src/store/store.js';
import { backends, createWorld, describeTitle, type ReportWorld } from '../slack/report-world.js';

const DAY_MS = 86_400_000;
const T0 = Date.parse('2026-06-01T08:00:00.000Z');
const at = (days: number) => new Date(T0 + days * DAY_MS).toISOString();

const finding = (id: string, key = `KEY_${id}`): OutboxFinding => ({
  id,
  severity: 'warning',
  rule: 'parity',
  key,
  envs: ['production'],
});

for (const backend of backends) {
  describe.skipIf(backend.skipReason !== undefined)(describeTitle('store: the report outbox', backend), () => {
    let world: ReportWorld;
    let store: Store;

    beforeEach(async () => {
      world = await createWorld(backend);
      store = await openStore({
        configDir: world.dir,
        databaseUrl: world.env.DRIFTWATCH_DATABASE_URL,
        schema: world.env.DRIFTWATCH_DATABASE_SCHEMA,
      });
    });
    afterEach(async () => {
      await store.close();
      await world.dispose();
    });

    const pending = (occurrence: string, createdAt: string, open: OutboxFinding[] | null = [finding('a')]) =>
      store.enqueueReport({
        occurrence,
        channel: 'slack',
        createdAt,
        status: 'pending',
        payload: { text: occurrence },
        openFindings: open,
      });

    it('writes one report per occurrence: a second writer gets the first row back', async () => {
      const first = await pending('tick 1', at(0));
      const again = await store.enqueueReport({
        occurrence: 'tick 1',
        channel: 'slack',
        createdAt: at(0),
        status: 'pending',
        payload: { text: 'another build of the same tick' },
        openFindings: [],
      });
      expect(first.created).toBe(true);
      expect(again).toEqual({ created: false, report: first.report });
      expect(first.report).toEqual({
        id: first.report.id,
        occurrence: 'tick 1',
        channel: 'slack',
        createdAt: at(0),
        status: 'pending',
        payload: { text: 'tick 1' },
        attempts: 0,
      });
      await expect(
        store.enqueueReport({
          occurrence: 'tick 2',
          channel: 'slack',
          createdAt: at(0),
          status: 'pending',
          openFindings: [],
        }),
      ).rejects.toThrow('a pending report needs its payload');
    });

    it('lets one of two senders claim a report, compared and set on the claim it saw', async () => {
      const { report } = await pending('tick 1', at(0));
      const until = new Date(Date.now() + 60_000).toISOString();
      const claims = await Promise.all([
        store.claimReport(report.id, { claimant: 'host 1 a', until, expected: null }),
        store.claimReport(report.id, { claimant: 'host 2 b', until, expected: null }),
      ]);
      expect(claims.filter(Boolean)).toHaveLength(1);
      const holder = (await store.reportByOccurrence('tick 1'))?.claimedBy;
      expect(['host 1 a', 'host 2 b']).toContain(holder);
      // Taking over a claim needs the claim one saw: a stale view loses.
      expect(await store.claimReport(report.id, { claimant: 'host 3 c', until, expected: 'host 9 z' })).toBe(false);
      expect(await store.claimReport(report.id, { claimant: 'host 3 c', until, expected: holder ?? null })).toBe(true);
    });

    it('keeps a report pending with its reason until it is delivered, counting attempts across runs', async () => {
      const { report } = await pending('tick 1', at(0));
      const until = new Date(Date.now() + 60_000).toISOString();
      await store.claimReport(report.id, { claimant: 'host 1 a', until, expected: null });
      await store.recordDelivery(report.id, { status: 'pending', at: at(0), attempts: 3, reason: 'HTTP 503' });
      expect(await store.pendingReports()).toEqual([{ ...report, attempts: 3, lastError: 'HTTP 503' }]);
      expect(await store.lastDeliveredReport()).toBeUndefined();

      await store.claimReport(report.id, { claimant: 'host 1 b', until, expected: null });
      await store.recordDelivery(report.id, { status: 'delivered', at: at(1), attempts: 1 });
      expect(await store.pendingReports()).toEqual([]);
      expect(await store.reportByOccurrence('tick 1')).toEqual({
        ...report,
        status: 'delivered',
        attempts: 4,
        deliveredAt: at(1),
      });
      // A finished report stays as it was left, whatever a late sender records.
      await store.recordDelivery(report.id, { status: 'failed', at: at(2), attempts: 1, reason: 'HTTP 404' });
      expect((await store.reportByOccurrence('tick 1'))?.status).toBe('delivered');
    });

    it('diffs against the latest delivered report whose check was complete', async () => {
      const deliver = async (occurrence: string, day: number, open: OutboxFinding[] | null) => {
        const { report } = await pending(occurrence, at(day), open);
        await store.recordDelivery(report.id, { status: 'delivered', at: at(day), attempts: 1 });
      };
      await deliver('day 0', 0, [finding('a'), finding('b')]);
      await deliver('day 1', 1, null);
      const failed = await pending('day 2', at(2), [finding('c')]);
      await store.recordDelivery(failed.report.id, { status: 'failed', at: at(2), attempts: 1, reason: 'HTTP 404' });
      await store.enqueueReport({
        occurrence: 'day 3',
        channel: 'slack',
        createdAt: at(3),
        status: 'skipped',
        openFindings: null,
      });
      await pending('day 4', at(4), [finding('d')]);

      expect(await store.lastDeliveredReport()).toEqual({
        id: expect.any(Number),
        occurrence: 'day 0',
        createdAt: at(0),
        deliveredAt: at(0),
        openFindings: [finding('a'), finding('b')],
      });
    });

    it('prunes old reports but never a pending one nor the base of the next report', async () => {
      const { report: base } = await pending('day 0', at(0));
      await store.recordDelivery(base.id, { status: 'delivered', at: at(0), attempts: 1 });
      const { report: later } = await pending('day 1', at(1), null);
      await store.recordDelivery(later.id, { status: 'delivered', at: at(1), attempts: 1 });
      await store.enqueueReport({
        occurrence: 'day 2',
        channel: 'slack',
        createdAt: at(2),
        status: 'skipped',
        openFindings: null,
      });
      await pending('day 3', at(3));

      expect(await store.pruneReports({ keepDays: 10, now: new Date(T0 + 100 * DAY_MS) })).toBe(2);
      expect((await world.outboxRows()).map((row) => [row.occurrence, row.status])).toEqual([
        ['day 0', 'delivered'],
        ['day 3', 'pending'],
      ]);
    });

    it('reads back when findings were first seen', async () => {
      await store.recordFindings(['a', 'b'], at(0));
      await store.recordFindings(['b', 'c'], at(5));
      expect(await store.firstSightings(['a', 'b', 'c', 'never'])).toEqual(
        new Map([
          ['a', at(0)],
          ['b', at(0)],
          ['c', at(5)],
        ]),
      );
    });
  });
}
