import { afterEach, describe, expect, it } from 'vitest';
import { type Delivery, signedDelivery, synchronizeTo } from './deliveries.js';
import { type Harness, SECRET, sleep, sleepUnlessAborted, sqliteHarness, waitFor } from './harness.js';
import { createTestSchemas, postgresSkipReason, type TestSchemas } from './postgres.js';
import { type ServiceProcess, spawnService } from './service-process.js';

const PUSHES = 20;

/** 20 pushes to one pull request, heads 1…20 (20 the last, by its updated_at), delivered in a scrambled order. */
async function twentyPushes(): Promise<{ deliveries: Delivery[]; lastHead: string }> {
  const deliveries: Delivery[] = [];
  // A fixed scramble: the last push is neither first nor last to arrive.
  const order = [3, 1, 7, 20, 2, 9, 14, 5, 11, 18, 4, 16, 6, 13, 19, 8, 12, 10, 17, 15];
  for (const index of order)
    deliveries.push(await signedDelivery('pull_request', synchronizeTo(index).payload, SECRET));
  return { deliveries, lastHead: synchronizeTo(PUSHES).headSha };
}

describe('server/supersede in one process (in-process queue)', () => {
  let harness: Harness;
  afterEach(() => harness.close());

  it('20 concurrent synchronize deliveries for one pull request: exactly one analysis completes, for the last head', async () => {
    const completed: string[] = [];
    const aborted: string[] = [];
    harness = await sqliteHarness({
      analyze: async (job, context) => {
        await sleepUnlessAborted(150, context.signal);
        if (context.signal.aborted) aborted.push(job.headSha);
        else completed.push(job.headSha);
      },
    });
    const { deliveries, lastHead } = await twentyPushes();
    const responses = await Promise.all(deliveries.map((delivery) => harness.deliver(delivery)));
    for (const response of responses) {
      expect(response.statusCode).toBe(202);
      expect(['queued', 'stale']).toContain(response.json().outcome);
    }
    await waitFor(() => completed.length > 0);
    await sleep(300);
    expect(completed).toEqual([lastHead]);
    // Every other head that started was stopped by a newer one; none ran at the same time as another.
    const started = harness.analysed.map((job) => job.headSha);
    expect(started.at(-1)).toBe(lastHead);
    expect(aborted.sort()).toEqual(started.slice(0, -1).sort());
    expect(harness.deliveryRows()).toHaveLength(PUSHES);
  });
});

describe.skipIf(postgresSkipReason !== undefined)('server/supersede across two serve processes on PostgreSQL', () => {
  let schemas: TestSchemas;
  const services: ServiceProcess[] = [];
  afterEach(async () => {
    for (const service of services.splice(0)) {
      service.kill('SIGKILL');
      await service.exited;
    }
    await schemas.drop();
  });

  it('20 concurrent synchronize deliveries split over two replicas: exactly one analysis completes, for the last head', async () => {
    schemas = await createTestSchemas();
    const env = {
      PORT: '0',
      HOST: '127.0.0.1',
      DATABASE_URL: schemas.storeUrl,
      DRIFTWATCH_DATABASE_SCHEMA: schemas.storeSchema,
      DRIFTWATCH_JOBS_SCHEMA: schemas.jobsSchema,
      DRIFTWATCH_FINGERPRINT_KEY: '5ade'.repeat(16),
      GITHUB_WEBHOOK_SECRET: SECRET,
      GITHUB_TOKEN: 'ghp_not-used-by-this-test',
      GITHUB_API_URL: 'http://127.0.0.1:9',
      FIXTURE_ANALYSIS_MS: '1500',
    };
    services.push(spawnService(env), spawnService(env));
    const ports = await Promise.all(services.map((service) => service.port));
    const { deliveries, lastHead } = await twentyPushes();

    const deliver = async (delivery: Delivery, index: number) => {
      const response = await fetch(`http://127.0.0.1:${ports[index % 2]}/webhooks/github`, {
        method: 'POST',
        headers: delivery.headers,
        body: delivery.body,
      });
      expect(response.status).toBe(202);
      expect(['queued', 'stale']).toContain(((await response.json()) as { outcome: string }).outcome);
    };
    const records = () => services.flatMap((service) => service.records);
    const expectOnlyCompleted = async (head: string) => {
      await waitFor(() => records().some((record) => record.event === 'completed' && record.head === head), 30_000);
      // Long enough for any other queued or running analysis to start, and to complete if it were going to.
      await sleep(3_000);
      const all = records();
      expect(all.filter((record) => record.event === 'completed').map((record) => record.head)).toEqual([head]);
      const started = all.filter((record) => record.event === 'started');
      for (const record of started.filter((candidate) => candidate.head !== head)) {
        expect(all).toContainEqual({ ...record, event: 'aborted', reason: 'superseded' });
      }
      expect(started.filter((record) => record.head === head)).toHaveLength(1);
      return all;
    };

    // Twenty at once, alternating between the replicas.
    await Promise.all(deliveries.map(deliver));
    await expectOnlyCompleted(lastHead);
    const rows = await schemas.query(`select count(*)::int as count from ${schemas.storeSchema}.webhook_deliveries`);
    expect(rows).toEqual([{ count: PUSHES }]);

    // Twenty more while the first of them is being analysed: the running analysis, on whichever replica
    // took it, learns from the database that a newer head was pushed through the other replica.
    for (const service of services) service.records.splice(0);
    const first = await signedDelivery('pull_request', synchronizeTo(PUSHES + 1).payload, SECRET);
    await deliver(first, 0);
    await waitFor(() => records().some((record) => record.event === 'started'), 30_000);
    const more: Delivery[] = [];
    for (let index = PUSHES + 2; index <= 2 * PUSHES; index++) {
      more.push(await signedDelivery('pull_request', synchronizeTo(index).payload, SECRET));
    }
    await Promise.all(more.reverse().map((delivery, index) => deliver(delivery, index + 1)));
    const second = await expectOnlyCompleted(synchronizeTo(2 * PUSHES).headSha);
    expect(second).toContainEqual(
      expect.objectContaining({ event: 'aborted', head: synchronizeTo(PUSHES + 1).headSha }),
    );

    for (const service of services) service.kill('SIGTERM');
    for (const service of services) expect(await service.exited).toEqual({ code: 0, signal: null });
  }, 90_000);
});
