import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { InProcessQueue } from '../../src/jobs/in-process-queue.js';
import type { JobContext } from '../../src/jobs/job-queue.js';
import type { AnalyzePullRequestJob } from '../../src/jobs/jobs.js';
import type { AnalyzePullRequest } from '../../src/server/analysis-worker.js';
import { buildServer } from '../../src/server/build-server.js';
import type { Logger } from '../../src/server/logger.js';
import { openStore, SQLITE_STORE_PATH } from '../../src/store/open-store.js';
import { openSqliteDatabase } from '../../src/store/sqlite-driver.js';
import type { Store } from '../../src/store/store.js';
import type { Delivery } from './deliveries.js';

export const SECRET = 'webhook-secret-for-tests';

export interface Harness {
  readonly app: FastifyInstance;
  readonly store: Store;
  readonly queue: InProcessQueue;
  /** Every job the analysis was handed, in order. */
  readonly analysed: AnalyzePullRequestJob[];
  /** Rows in the store's webhook_deliveries table, read from the SQLite file itself. */
  deliveryRows(): string[];
  deliver(delivery: Delivery, headers?: Record<string, string | undefined>): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  readonly secrets?: readonly string[];
  /** Runs after the job is recorded in `analysed`; none: recording is all the analysis does. */
  readonly analyze?: (job: AnalyzePullRequestJob, context: JobContext) => Promise<void>;
  readonly logger?: Logger;
  readonly withoutGithub?: boolean;
}

/**
 * The real server over a real SQLite store in a temp directory and the real
 * in-process queue; the analysis is a recording function (the PR analysis
 * itself is tested on its own).
 */
export async function sqliteHarness(options: HarnessOptions = {}): Promise<Harness> {
  const dir = mkdtempSync(path.join(tmpdir(), 'driftwatch-server-'));
  const store = await openStore({ configDir: dir });
  const queue = new InProcessQueue();
  const analysed: AnalyzePullRequestJob[] = [];
  const analyzePullRequest: AnalyzePullRequest = async (job, context) => {
    analysed.push(job);
    await options.analyze?.(job, context);
  };
  const app = buildServer({
    store,
    queue,
    ...(options.withoutGithub
      ? {}
      : {
          github: {
            webhookSecrets: options.secrets ?? [SECRET],
            auth: { kind: 'token', token: 'ghp_not-used-by-these-tests' },
            apiUrl: 'http://127.0.0.1:9',
          },
        }),
    analyzePullRequest,
    ...(options.logger === undefined ? {} : { logger: options.logger }),
  });
  await app.ready();
  return {
    app,
    store,
    queue,
    analysed,
    deliveryRows() {
      const database = openSqliteDatabase(path.join(dir, SQLITE_STORE_PATH), { readonly: true });
      try {
        const rows = database.prepare('select delivery_id from webhook_deliveries order by delivery_id').all();
        return rows.map((row) => (row as { delivery_id: string }).delivery_id);
      } finally {
        database.close();
      }
    },
    deliver(delivery, headers = {}) {
      const merged: Record<string, string> = {};
      for (const [name, value] of Object.entries({ ...delivery.headers, ...headers })) {
        if (value !== undefined) merged[name] = value;
      }
      return app.inject({ method: 'POST', url: '/webhooks/github', headers: merged, payload: delivery.body });
    },
    async close() {
      await app.close();
      await queue.stop({ timeoutMs: 1_000 });
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export async function waitFor(condition: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(10);
  }
}

/** Resolves after `ms`, or as soon as `signal` aborts. */
export function sleepUnlessAborted(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}
