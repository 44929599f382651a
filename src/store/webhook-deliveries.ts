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

/** Inserts the delivery unless its id is known; true when it was new. */
export async function recordWebhookDelivery(connection: StoreConnection, delivery: WebhookDelivery): Promise<boolean> {
  const receivedAt = new Date(delivery.receivedAt);
  if (Number.isNaN(receivedAt.getTime())) {
    throw new RangeError(`recordWebhookDelivery: receivedAt is not a date: ${JSON.stringify(delivery.receivedAt)}`);
  }
  return writeTransaction(connection, [], async (trx) => {
    const inserted = await trx
      .insertInto('webhook_deliveries')
      .values({
        delivery_id: delivery.id,
        event: delivery.event,
        action: delivery.action ?? null,
        received_at: receivedAt.toISOString(),
      })
      .onConflict((conflict) => conflict.column('delivery_id').doNothing())
      .returning('delivery_id')
      .executeTakeFirst();
    return inserted !== undefined;
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
