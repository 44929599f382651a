import { type Kysely, type Migration, Migrator, sql } from 'kysely';
import type { StoreDb, StoreDialect } from './database.js';
import { snapshotRoundsMigration } from './snapshot-rounds.js';
import { webhookDeliveriesMigration } from './webhook-deliveries.js';

/**
 * The store's migrations, in name order. Never edit one that has shipped:
 * add the next (`002_…`). Both dialects get the same tables; the only guarded
 * difference is how an auto-incrementing id is spelled.
 */
export function storeMigrations(dialect: StoreDialect): Record<string, Migration> {
  return {
    '001_initial': {
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('snapshots')
          .addColumn('id', dialect === 'postgres' ? 'serial' : 'integer', (col) =>
            dialect === 'postgres' ? col.primaryKey() : col.primaryKey().autoIncrement(),
          )
          .addColumn('env', 'text', (col) => col.notNull())
          .addColumn('taken_at', 'text', (col) => col.notNull())
          .addColumn('content_digest', 'text', (col) => col.notNull())
          .addColumn('sources', 'text', (col) => col.notNull())
          .addColumn('key_count', 'integer', (col) => col.notNull())
          .execute();
        await db.schema.createIndex('snapshots_env_id').on('snapshots').columns(['env', 'id']).execute();

        await db.schema
          .createTable('key_versions')
          .addColumn('id', dialect === 'postgres' ? 'serial' : 'integer', (col) =>
            dialect === 'postgres' ? col.primaryKey() : col.primaryKey().autoIncrement(),
          )
          .addColumn('env', 'text', (col) => col.notNull())
          .addColumn('key', 'text', (col) => col.notNull())
          .addColumn('fingerprint', 'text', (col) => col.notNull())
          .addColumn('type', 'text', (col) => col.notNull())
          .addColumn('sensitive', 'boolean', (col) => col.notNull())
          .addColumn('sensitive_reason', 'text')
          .addColumn('value', 'text')
          .addColumn('tag', 'text')
          .addColumn('origin_source', 'text', (col) => col.notNull())
          .addColumn('origin_file', 'text', (col) => col.notNull())
          .addColumn('origin_line', 'integer')
          .addColumn('origin_column', 'integer')
          // No foreign key: a version that began before the retention window outlives its first snapshot.
          .addColumn('first_snapshot_id', 'integer', (col) => col.notNull())
          // Likewise for a version that ended just inside the window: its removal is still history.
          .addColumn('last_snapshot_id', 'integer')
          .addColumn('ended_snapshot_id', 'integer', (col) => col.references('snapshots.id'))
          // The last line of defence for "secrets never leave": the database itself refuses a sensitive value.
          .addCheckConstraint('key_versions_sensitive_has_no_value', sql`sensitive = false or value is null`)
          .addCheckConstraint(
            'key_versions_open_or_ended',
            sql`(last_snapshot_id is null and ended_snapshot_id is null) or (first_snapshot_id <= last_snapshot_id and last_snapshot_id < ended_snapshot_id)`,
          )
          .execute();
        await db.schema.createIndex('key_versions_env_key').on('key_versions').columns(['env', 'key']).execute();
        await db.schema
          .createIndex('key_versions_env_ended')
          .on('key_versions')
          .columns(['env', 'ended_snapshot_id'])
          .execute();
        // `driftwatch history KEY` asks across environments.
        await db.schema.createIndex('key_versions_key').on('key_versions').column('key').execute();
        // Pruning deletes by ended snapshot, and the foreign key checks it.
        await db.schema.createIndex('key_versions_ended').on('key_versions').column('ended_snapshot_id').execute();

        await db.schema
          .createTable('finding_sightings')
          .addColumn('finding_id', 'text', (col) => col.primaryKey())
          .addColumn('first_seen', 'text', (col) => col.notNull())
          .addColumn('last_seen', 'text', (col) => col.notNull())
          .execute();
      },
    },
    '003_webhook_deliveries': webhookDeliveriesMigration,
    '004_report_outbox': {
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('report_outbox')
          .addColumn('id', dialect === 'postgres' ? 'serial' : 'integer', (col) =>
            dialect === 'postgres' ? col.primaryKey() : col.primaryKey().autoIncrement(),
          )
          // One report per occurrence: a retried scheduled job finds its row instead of building another.
          .addColumn('occurrence', 'text', (col) => col.notNull().unique())
          .addColumn('channel', 'text', (col) => col.notNull())
          .addColumn('created_at', 'text', (col) => col.notNull())
          .addColumn('status', 'text', (col) => col.notNull())
          .addColumn('payload', 'text')
          .addColumn('open_findings', 'text')
          .addColumn('attempts', 'integer', (col) => col.notNull().defaultTo(0))
          .addColumn('last_error', 'text')
          .addColumn('claimed_by', 'text')
          .addColumn('claimed_until', 'text')
          .addColumn('delivered_at', 'text')
          .addCheckConstraint('report_outbox_status', sql`status in ('pending', 'delivered', 'failed', 'skipped')`)
          // Whatever is to be sent is there in full before anyone tries to send it.
          .addCheckConstraint('report_outbox_payload', sql`status = 'skipped' or payload is not null`)
          .execute();
        await db.schema.createIndex('report_outbox_status_id').on('report_outbox').columns(['status', 'id']).execute();
      },
    },
    '005_removal_facts': {
      // Retention deletes the key versions of old snapshots, and with them the record that a key
      // was removed; `removed-elsewhere` needs it most for the oldest removals. Prune keeps it here.
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('removal_facts')
          .addColumn('env', 'text', (col) => col.notNull())
          .addColumn('key', 'text', (col) => col.notNull())
          .addColumn('removed_at', 'text', (col) => col.notNull())
          .addColumn('last_present_at', 'text')
          .addPrimaryKeyConstraint('removal_facts_pkey', ['env', 'key'])
          .execute();
        await db.schema.createIndex('removal_facts_key').on('removal_facts').column('key').execute();
      },
    },
    '006_snapshot_rounds': snapshotRoundsMigration,
  };
}

/**
 * Applies pending migrations. On PostgreSQL `schema` is the store's own
 * schema: the connection's search_path is that schema alone, so the tables the
 * migrations create land there, and kysely's bookkeeping (`kysely_migration`,
 * `kysely_migration_lock`) is kept there too — never beside an application's
 * own kysely migrations in `public`. Throws the migrator's error as is; the
 * caller names the database.
 */
export async function migrateToLatest(db: StoreDb, dialect: StoreDialect, schema?: string): Promise<void> {
  const migrations = storeMigrations(dialect);
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    ...(schema === undefined ? {} : { migrationTableSchema: schema }),
  });
  // Reading first keeps the common case (nothing to do) free of write locks.
  const known = await migrator.getMigrations();
  if (known.every((migration) => migration.executedAt !== undefined)) return;
  const { error } = await migrator.migrateToLatest();
  if (error !== undefined) throw error;
}
