import { tmpdir } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { openPgBossQueue } from '../../src/jobs/pg-boss-queue.js';
import { buildServer } from '../../src/server/build-server.js';
import { openStore } from '../../src/store/open-store.js';
import { type Harness, sqliteHarness } from './harness.js';
import { createTestSchemas, postgresSkipReason, postgresUrl, type TestSchemas } from './postgres.js';

describe('server/readiness on SQLite and the in-process queue', () => {
  let harness: Harness;
  afterEach(() => harness.close());

  it('is alive and ready, then not ready once the store is gone, and draining when told', async () => {
    harness = await sqliteHarness();
    const probe = (url: string) => harness.app.inject({ method: 'GET', url });
    expect((await probe('/healthz')).json()).toEqual({ status: 'ok' });
    const ready = await probe('/readyz');
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({ status: 'ready', store: 'ok', queue: 'ok', engine: 'in-process' });

    harness.app.service.startDraining();
    expect((await probe('/readyz')).json()).toEqual({
      status: 'draining',
      store: 'ok',
      queue: 'ok',
      engine: 'in-process',
    });

    await harness.store.close();
    const down = await probe('/readyz');
    expect(down.statusCode).toBe(503);
    expect(down.json()).toMatchObject({ store: 'unavailable', queue: 'ok' });
    // Alive all the same: a restart would not bring the store back.
    expect((await probe('/healthz')).statusCode).toBe(200);
  });

  it('is not ready once its queue stops', async () => {
    harness = await sqliteHarness();
    await harness.queue.stop({ timeoutMs: 0 });
    const response = await harness.app.inject({ method: 'GET', url: '/readyz' });
    expect(response.statusCode).toBe(503);
    expect(response.json()).toEqual({ status: 'unavailable', store: 'ok', queue: 'unavailable', engine: 'in-process' });
  });
});

describe.skipIf(postgresSkipReason !== undefined)('server/readiness on PostgreSQL and pg-boss', () => {
  let schemas: TestSchemas;
  afterEach(() => schemas.drop());

  it('is ready while store and queue answer, and says which one does not', async () => {
    schemas = await createTestSchemas();
    const store = await openStore({ configDir: tmpdir(), databaseUrl: schemas.storeUrl, schema: schemas.storeSchema });
    const queue = await openPgBossQueue({
      databaseUrl: postgresUrl as string,
      schema: schemas.jobsSchema,
      poolSize: 2,
    });
    const app = buildServer({ store, queue });
    try {
      const probe = () => app.inject({ method: 'GET', url: '/readyz' });
      expect((await probe()).json()).toEqual({ status: 'ready', store: 'ok', queue: 'ok', engine: 'pg-boss' });

      await schemas.query(`drop schema ${schemas.jobsSchema} cascade`);
      const queueDown = await probe();
      expect(queueDown.statusCode).toBe(503);
      expect(queueDown.json()).toEqual({ status: 'unavailable', store: 'ok', queue: 'unavailable', engine: 'pg-boss' });

      await schemas.query(`drop schema ${schemas.storeSchema} cascade`);
      expect((await probe()).json()).toEqual({
        status: 'unavailable',
        store: 'unavailable',
        queue: 'unavailable',
        engine: 'pg-boss',
      });
      const metrics = await app.inject({ method: 'GET', url: '/metrics' });
      expect(metrics.statusCode).toBe(200);
      expect(metrics.body).toContain('driftwatch_job_queue_depth{engine="pg-boss"} Nan');
    } finally {
      await app.close();
      await queue.stop({ timeoutMs: 100 });
      await store.close();
    }
  });
});
