import type { Kysely, Migration } from 'kysely';
import type { WebhookDelivery } from './store.js';
import { type StoreConnection, writeTransaction } from './store-connection.js';

/**
 * The GitHub deliveries the service has taken, by `x-github-delivery`. The
 * primary key is the point: a redelivery (GitHub's "Redeliver" button, or a
 * retry after a timeout) finds its id taken and is acknowledged without being
 * processed again. Only the event's name and action are kept, never its body.
 */
export interface WebhookDeliveriesTable {
  delivery_id: string;
  event: string;
  action: string | null;
  /** ISO 8601 UTC: text order is time order, in both databases. */
  received_at: string;
}

/** `003_webhook_deliveries`: the same table on SQLite and PostgreSQL. */
export const webhookDeliveriesMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('webhook_deliveries')
      .addColumn('delivery_id', 'text', (col) => col.primaryKey())
      .addColumn('event', 'text', (col) => col.notNull())
      .addColumn('action', 'text')
      .addColumn('received_at', 'text', (col) => col.notNull())
      .execute();
    // Pruning deletes by age.
    await db.schema
      .createIndex('webhook_deliveries_received_at')
      .on('webhook_deliveries')
      .column('received_at')
      .execute();
  },
};

interface PendingDelivery {
  readonly id: string;
  readonly row: WebhookDeliveriesTable;
  resolve(isNew: boolean): void;
  reject(error: unknown): void;
}

/** Per store, the deliveries waiting for the next write transaction; it takes all of them at once. */
const openBatches = new WeakMap<StoreConnection, PendingDelivery[]>();

/** Rows per INSERT: 4 columns × 500 stays far under SQLite's bound-parameter limit. */
const INSERT_CHUNK = 500;

/**
 * Inserts the delivery unless its id is known; true when it was new.
 * Deliveries arriving while a write is in progress are recorded together in
 * the next transaction (group commit): on SQLite every commit waits for the
 * disk, and a webhook must be answered in milliseconds even in a burst.
 */
export function recordWebhookDelivery(connection: StoreConnection, delivery: WebhookDelivery): Promise<boolean> {
  const receivedAt = new Date(delivery.receivedAt);
  if (Number.isNaN(receivedAt.getTime())) {
    return Promise.reject(
      new RangeError(`recordWebhookDelivery: receivedAt is not a date: ${JSON.stringify(delivery.receivedAt)}`),
    );
  }
  const row: WebhookDeliveriesTable = {
    delivery_id: delivery.id,
    event: delivery.event,
    action: delivery.action ?? null,
    received_at: receivedAt.toISOString(),
  };
  return new Promise<boolean>((resolve, reject) => {
    const batch = openBatches.get(connection);
    if (batch !== undefined) {
      batch.push({ id: delivery.id, row, resolve, reject });
      return;
    }
    const started: PendingDelivery[] = [{ id: delivery.id, row, resolve, reject }];
    openBatches.set(connection, started);
    writeTransaction(connection, [], async (trx) => {
      // From here on, deliveries go to the next batch.
      if (openBatches.get(connection) === started) openBatches.delete(connection);
      const firstOfEach = new Map<string, WebhookDeliveriesTable>();
      for (const pending of started) if (!firstOfEach.has(pending.id)) firstOfEach.set(pending.id, pending.row);
      const inserted = new Set<string>();
      const rows = [...firstOfEach.values()];
      for (let start = 0; start < rows.length; start += INSERT_CHUNK) {
        const result = await trx
          .insertInto('webhook_deliveries')
          .values(rows.slice(start, start + INSERT_CHUNK))
          .onConflict((conflict) => conflict.column('delivery_id').doNothing())
          .returning('delivery_id')
          .execute();
        for (const { delivery_id } of result) inserted.add(delivery_id);
      }
      return inserted;
    }).then(
      (inserted) => {
        // The same id twice in one batch: the first is the delivery, the second its redelivery.
        for (const pending of started) {
          pending.resolve(inserted.delete(pending.id));
        }
      },
      (error: unknown) => {
        if (openBatches.get(connection) === started) openBatches.delete(connection);
        for (const pending of started) pending.reject(error);
      },
    );
  });
}

export async function forgetWebhookDelivery(connection: StoreConnection, id: string): Promise<void> {
  await writeTransaction(connection, [], (trx) =>
    trx.deleteFrom('webhook_deliveries').where('delivery_id', '=', id).execute(),
  );
}

export async function pruneWebhookDeliveries(connection: StoreConnection, before: Date): Promise<number> {
  const cutoff = before.toISOString();
  const result = await writeTransaction(connection, [], (trx) =>
    trx.deleteFrom('webhook_deliveries').where('received_at', '<', cutoff).executeTakeFirst(),
  );
  return Number(result.numDeletedRows);
}

/** A read that needs the store's tables: it fails when the database is unreachable or the schema is gone. */
export async function pingStore(connection: StoreConnection): Promise<void> {
  await connection.db.selectFrom('webhook_deliveries').select('delivery_id').limit(1).execute();
}
