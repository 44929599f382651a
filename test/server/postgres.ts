import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** PostgreSQL for the tests that need it: DRIFTWATCH_TEST_DATABASE_URL, or skipped saying why. */
export const postgresUrl = process.env.DRIFTWATCH_TEST_DATABASE_URL;
export const postgresSkipReason = postgresUrl ? undefined : 'DRIFTWATCH_TEST_DATABASE_URL is unset';

export interface TestSchemas {
  /** The database's URL; the store's tables go in `storeSchema`, a fresh schema of its own. */
  readonly storeUrl: string;
  readonly storeSchema: string;
  /** A fresh schema for pg-boss. */
  readonly jobsSchema: string;
  /** Runs SQL as the test's admin connection. */
  query(text: string, values?: unknown[]): Promise<Record<string, unknown>[]>;
  /** Drops both schemas. */
  drop(): Promise<void>;
}

/**
 * Two fresh schemas per test (store and jobs), random names, dropped after:
 * the database is shared by every test run on this machine.
 */
export async function createTestSchemas(): Promise<TestSchemas> {
  if (postgresUrl === undefined) throw new Error('DRIFTWATCH_TEST_DATABASE_URL is unset');
  const suffix = randomBytes(6).toString('hex');
  const storeSchema = `dw_test_${suffix}`;
  const jobsSchema = `dw_test_jobs_${suffix}`;
  const admin = new pg.Client({ connectionString: postgresUrl });
  await admin.connect();
  await admin.query(`create schema ${storeSchema}`);
  return {
    storeUrl: postgresUrl,
    storeSchema,
    jobsSchema,
    async query(text, values) {
      return (await admin.query(text, values)).rows as Record<string, unknown>[];
    },
    async drop() {
      try {
        await admin.query(`drop schema if exists ${storeSchema} cascade`);
        await admin.query(`drop schema if exists ${jobsSchema} cascade`);
      } finally {
        await admin.end();
      }
    },
  };
}
