import { randomBytes } from 'node:crypto';
import { Kysely } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ScopedPostgresDialect } from '../../src/store/scoped-postgres-dialect.js';

const postgresUrl = process.env.DRIFTWATCH_TEST_DATABASE_URL;

describe.skipIf(!postgresUrl)(
  `store/scoped PostgreSQL introspection${postgresUrl ? '' : ' (skipped: DRIFTWATCH_TEST_DATABASE_URL is unset)'}`,
  () => {
    const ours = `dw_scoped_${randomBytes(6).toString('hex')}`;
    const theirs = `dw_other_${randomBytes(6).toString('hex')}`;
    let admin: pg.Client;
    let db: Kysely<unknown>;

    beforeAll(async () => {
      admin = new pg.Client({ connectionString: postgresUrl });
      await admin.connect();
      await admin.query(`create schema ${ours}; create schema ${theirs}`);
      await admin.query(`create table ${ours}.kysely_migration (name text primary key)`);
      await admin.query(`create view ${ours}.names as select name from ${ours}.kysely_migration`);
      await admin.query(`create table ${theirs}.kysely_migration (name text primary key)`);
      db = new Kysely({
        dialect: new ScopedPostgresDialect({ pool: new pg.Pool({ connectionString: postgresUrl }) }, ours),
      });
    });
    afterAll(async () => {
      await db.destroy();
      await admin.query(`drop schema ${ours} cascade; drop schema ${theirs} cascade`);
      await admin.end();
    });

    it("lists the store's own schema only: another schema's tables are never read", async () => {
      expect(await db.introspection.getTables()).toEqual([
        { name: 'kysely_migration', schema: ours, isView: false, columns: [] },
        { name: 'names', schema: ours, isView: true, columns: [] },
      ]);
      expect(await db.introspection.getSchemas()).toEqual([{ name: ours }]);
    });

    it('keeps answering while another session creates and drops tables elsewhere', async () => {
      let churning = true;
      const churn = (async () => {
        for (let round = 0; churning; round++) {
          await admin.query(`create table ${theirs}.t${round} (id serial primary key)`);
          await admin.query(`drop table ${theirs}.t${round}`);
        }
      })();
      try {
        for (let attempt = 0; attempt < 50; attempt++) {
          expect((await db.introspection.getTables()).map((table) => table.name)).toEqual([
            'kysely_migration',
            'names',
          ]);
        }
      } finally {
        churning = false;
        await churn;
      }
    });
  },
);
