import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/open-store.js';
import type { Store } from '../../src/store/store.js';
import { createTestSchemas, postgresSkipReason, type TestSchemas } from '../server/postgres.js';

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
      const configDir = mkdtempSync(path.join(tmpdir(), 'driftwatch-deliveries-'));
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

for (const backend of backends) {
  describe.skipIf(backend.skipReason !== undefined)(`store/webhook deliveries on ${backend.name}`, () => {
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

    it('records a delivery id once: a redelivery is recognised', async () => {
      const store = await open();
      const delivery = { id: '72d3162e-cc78-11e3-81ab-4c9367dc0958', event: 'pull_request', action: 'opened' };
      expect(await store.recordWebhookDelivery({ ...delivery, receivedAt: '2026-01-01T10:00:00Z' })).toBe(true);
      expect(await store.recordWebhookDelivery({ ...delivery, receivedAt: '2026-01-01T10:05:00Z' })).toBe(false);
      expect(
        await store.recordWebhookDelivery({ id: 'other', event: 'ping', receivedAt: '2026-01-01T10:05:00Z' }),
      ).toBe(true);
    });

    it('records deliveries concurrently without losing or doubling one', async () => {
      const store = await open();
      const ids = ['a', 'b', 'a', 'c', 'b', 'a'];
      const results = await Promise.all(
        ids.map((id) => store.recordWebhookDelivery({ id, event: 'ping', receivedAt: new Date().toISOString() })),
      );
      expect(results.filter(Boolean)).toHaveLength(3);
    });

    it('forgets a delivery so that its redelivery counts as new', async () => {
      const store = await open();
      const delivery = { id: 'lost-job', event: 'pull_request', receivedAt: '2026-01-01T10:00:00Z' };
      await store.recordWebhookDelivery(delivery);
      await store.forgetWebhookDelivery('lost-job');
      expect(await store.recordWebhookDelivery(delivery)).toBe(true);
    });

    it('prunes deliveries received before a cutoff', async () => {
      const store = await open();
      await store.recordWebhookDelivery({ id: 'old', event: 'ping', receivedAt: '2026-01-01T00:00:00Z' });
      await store.recordWebhookDelivery({ id: 'new', event: 'ping', receivedAt: '2026-03-01T00:00:00Z' });
      expect(await store.pruneWebhookDeliveries(new Date('2026-02-01T00:00:00Z'))).toBe(1);
      expect(await store.recordWebhookDelivery({ id: 'old', event: 'ping', receivedAt: '2026-03-02T00:00:00Z' })).toBe(
        true,
      );
      expect(await store.recordWebhookDelivery({ id: 'new', event: 'ping', receivedAt: '2026-03-02T00:00:00Z' })).toBe(
        false,
      );
    });

    it('answers ping while open, and throws once closed', async () => {
      const store = await open();
      await store.ping();
      await store.close();
      await expect(store.ping()).rejects.toThrow(/closed/);
    });
  });
}
