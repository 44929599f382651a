import { type Kysely, sql } from 'kysely';
import { compareCodeUnits } from '../compare-code-units.js';
import type { ValueType } from '../formats/format.js';
import type { Entry, Snapshot, SourceStatus } from '../snapshot/snapshot.js';
import { contentDigest } from './content-digest.js';
import type { StoreDatabase } from './database.js';
import {
  entryFromRow,
  keyVersionRow,
  originFromRow,
  storedValue,
  VERSION_IDENTITY_COLUMNS,
} from './key-version-row.js';
import { kyselyReportOutbox } from './kysely-report-outbox.js';
import { planVersionChanges } from './plan-version-changes.js';
import type { DeliveryRecord, NewOutboxReport, OutboxReport, ReportClaim, ReportOutbox } from './report-outbox.js';
import { checkShrink } from './shrink-guard.js';
import {
  type NewSnapshotRound,
  plainProblem,
  type SnapshotRound,
  type SnapshotRoundsTable,
  snapshotRoundOf,
} from './snapshot-rounds.js';
import type {
  KeyChange,
  KeyEvent,
  KeyHistoryOptions,
  PruneOptions,
  PruneResult,
  RemovedKey,
  SaveResult,
  Store,
  StoredSnapshot,
  WebhookDelivery,
} from './store.js';
import { readTransaction, type StoreConnection, writeTransaction } from './store-connection.js';
import { StoreError } from './store-error.js';
import {
  forgetWebhookDelivery,
  pingStore,
  pruneWebhookDeliveries,
  recordWebhookDelivery,
} from './webhook-deliveries.js';

/** Rows per multi-row INSERT: 14 columns × 1000 stays under SQLite's 32,766 bound parameters. */
const INSERT_CHUNK = 1000;
/** Ids per `IN (…)` list. */
const ID_CHUNK = 5000;
const DAY_MS = 86_400_000;

/** The store over kysely: one implementation for SQLite and PostgreSQL. */
export class KyselyStore implements Store {
  readonly #connection: StoreConnection;
  readonly #outbox: ReportOutbox;
  #closed = false;

  constructor(connection: StoreConnection) {
    this.#connection = connection;
    this.#outbox = kyselyReportOutbox(connection);
  }

  async saveSnapshot(snapshot: Snapshot): Promise<SaveResult> {
    return writeTransaction(this.#connection, [snapshot.env], (trx) => this.#saveIn(trx, snapshot));
  }

  /** saveSnapshot's work inside a write transaction that holds the environment's lock. */
  async #saveIn(trx: Kysely<StoreDatabase>, snapshot: Snapshot): Promise<SaveResult> {
    const { env } = snapshot;
    const takenAt = normalizeTime(snapshot.takenAt, 'snapshot.takenAt');
    const entries = sortedEntries(snapshot);
    const digest = contentDigest(entries);
    const latest = await trx
      .selectFrom('snapshots')
      .select(['id', 'taken_at', 'content_digest'])
      .where('env', '=', env)
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst();
    if (latest?.content_digest === digest) return { snapshotId: latest.id, stored: false };
    if (latest !== undefined && takenAt < latest.taken_at) {
      throw new StoreError(
        'out-of-order',
        `not storing the snapshot of ${env} taken at ${takenAt}: a later one (taken at ${latest.taken_at}) is already stored`,
        this.#connection.where,
      );
    }

    const { id: snapshotId } = await trx
      .insertInto('snapshots')
      .values({
        env,
        taken_at: takenAt,
        content_digest: digest,
        sources: JSON.stringify(snapshot.sources),
        key_count: entries.length,
      })
      .returning('id')
      .executeTakeFirstOrThrow();

    const openVersions = await trx
      .selectFrom('key_versions')
      .select(['id', 'key', ...VERSION_IDENTITY_COLUMNS])
      .where('env', '=', env)
      .where('ended_snapshot_id', 'is', null)
      .execute();
    const { ended, started } = planVersionChanges(openVersions, entries);

    // Open versions were all in the previous snapshot, which is therefore the last to have the ended ones.
    // Unchanged versions are not touched at all: rewriting every key each day would cost a full copy after all.
    const previousId = latest?.id ?? null;
    for (const ids of chunks(ended, ID_CHUNK)) {
      await trx
        .updateTable('key_versions')
        .set({ last_snapshot_id: previousId, ended_snapshot_id: snapshotId })
        .where('id', 'in', ids)
        .execute();
    }
    for (const batch of chunks(started, INSERT_CHUNK)) {
      await trx
        .insertInto('key_versions')
        .values(batch.map((entry) => keyVersionRow(env, entry, snapshotId)))
        .execute();
    }
    return { snapshotId, stored: true };
  }

  async recordSnapshotRound(round: NewSnapshotRound): Promise<{ round: SnapshotRound; created: boolean }> {
    const env = 'snapshot' in round ? round.snapshot.env : round.env;
    const occurrence = normalizeTime(round.occurrence, 'recordSnapshotRound: occurrence');
    const recordedAt = normalizeTime(round.recordedAt, 'recordSnapshotRound: recordedAt');
    return writeTransaction(this.#connection, [env], async (trx) => {
      const known = await trx
        .selectFrom('snapshot_rounds')
        .selectAll()
        .where('occurrence', '=', occurrence)
        .where('env', '=', env)
        .executeTakeFirst();
      if (known !== undefined) return { round: snapshotRoundOf(known), created: false };
      let row: SnapshotRoundsTable;
      const base = { occurrence, env, recorded_at: recordedAt };
      if (!('snapshot' in round)) {
        const problems = JSON.stringify(round.problems.map(plainProblem));
        row = { ...base, status: 'failed', snapshot_id: null, key_count: null, problems };
      } else {
        const keys = round.snapshot.entries.size;
        const previous = await trx
          .selectFrom('snapshots')
          .select('key_count')
          .where('env', '=', env)
          .orderBy('id', 'desc')
          .limit(1)
          .executeTakeFirst();
        const guard = checkShrink(previous?.key_count, keys, env, round.shrinkHint);
        if (guard.ok) {
          const saved = await this.#saveIn(trx, round.snapshot);
          const status = saved.stored ? 'stored' : 'unchanged';
          row = { ...base, status, snapshot_id: saved.snapshotId, key_count: keys, problems: null };
        } else {
          const problems = JSON.stringify([{ message: guard.reason }]);
          row = { ...base, status: 'suspicious', snapshot_id: null, key_count: keys, problems };
        }
      }
      await trx.insertInto('snapshot_rounds').values(row).execute();
      return { round: snapshotRoundOf(row), created: true };
    });
  }

  async snapshotRounds(occurrence: string): Promise<SnapshotRound[]> {
    const rows = await this.#connection.db
      .selectFrom('snapshot_rounds')
      .selectAll()
      .where('occurrence', '=', normalizeTime(occurrence, 'snapshotRounds: occurrence'))
      .execute();
    return rows.map(snapshotRoundOf).sort((a, b) => compareCodeUnits(a.env, b.env));
  }

  async troubledSnapshotRounds(since?: string): Promise<SnapshotRound[]> {
    let query = this.#connection.db
      .selectFrom('snapshot_rounds')
      .selectAll()
      .where('status', 'in', ['failed', 'suspicious']);
    if (since !== undefined) query = query.where('recorded_at', '>', normalizeTime(since, 'troubledSnapshotRounds'));
    const rows = await query.execute();
    return rows
      .map(snapshotRoundOf)
      .sort((a, b) => compareCodeUnits(a.recordedAt, b.recordedAt) || compareCodeUnits(a.env, b.env));
  }

  async latestSnapshot(env: string): Promise<StoredSnapshot | undefined> {
    return readTransaction(this.#connection, async (trx) => {
      const latest = await trx
        .selectFrom('snapshots')
        .selectAll()
        .where('env', '=', env)
        .orderBy('id', 'desc')
        .limit(1)
        .executeTakeFirst();
      if (latest === undefined) return undefined;
      const versions = await trx
        .selectFrom('key_versions')
        .selectAll()
        .where('env', '=', env)
        .where('ended_snapshot_id', 'is', null)
        .execute();
      const entries = versions.map(entryFromRow).sort((a, b) => compareCodeUnits(a.key, b.key));
      return {
        id: latest.id,
        env: latest.env,
        takenAt: latest.taken_at,
        keyCount: latest.key_count,
        contentDigest: latest.content_digest,
        sources: JSON.parse(latest.sources) as SourceStatus[],
        entries: new Map(entries.map((entry) => [entry.key, entry])),
      };
    });
  }

  async environments(): Promise<string[]> {
    const rows = await this.#connection.db.selectFrom('snapshots').select('env').distinct().execute();
    return rows.map((row) => row.env).sort(compareCodeUnits);
  }

  async keyHistory(options: KeyHistoryOptions = {}): Promise<KeyEvent[]> {
    const { env, key, limit } = options;
    if (limit !== undefined && !(Number.isInteger(limit) && limit >= 0)) {
      throw new RangeError(`keyHistory: limit must be a non-negative integer, got ${limit}`);
    }
    if (limit === 0) return [];
    const { db } = this.#connection;

    // A version's start is an event unless its predecessor (the version of the same key that ended
    // in the snapshot it began in) had the same fingerprint, type and tag: then only the origin moved.
    let starts = db
      .selectFrom('key_versions as v')
      .innerJoin('snapshots as s', 's.id', 'v.first_snapshot_id')
      .leftJoin('key_versions as p', (join) =>
        join
          .onRef('p.env', '=', 'v.env')
          .onRef('p.key', '=', 'v.key')
          .onRef('p.ended_snapshot_id', '=', 'v.first_snapshot_id'),
      )
      .where((eb) =>
        eb.or([
          eb('p.id', 'is', null),
          eb('p.fingerprint', '<>', eb.ref('v.fingerprint')),
          eb('p.type', '<>', eb.ref('v.type')),
          eb(eb.fn.coalesce('p.tag', sql.lit('')), '<>', eb.fn.coalesce('v.tag', sql.lit(''))),
        ]),
      )
      .select((eb) => [
        eb
          .case()
          .when('p.id', 'is', null)
          .then(sql<KeyChange>`'added'`)
          .else(sql<KeyChange>`'changed'`)
          .end()
          .as('change'),
      ]);
    // A version that ended with no successor in the same snapshot was removed.
    let removals = db
      .selectFrom('key_versions as v')
      .innerJoin('snapshots as s', 's.id', 'v.ended_snapshot_id')
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom('key_versions as n')
              .select('n.id')
              .whereRef('n.env', '=', 'v.env')
              .whereRef('n.key', '=', 'v.key')
              .whereRef('n.first_snapshot_id', '=', 'v.ended_snapshot_id'),
          ),
        ),
      )
      .select(sql<KeyChange>`'removed'`.as('change'));
    if (env !== undefined) {
      starts = starts.where('v.env', '=', env);
      removals = removals.where('v.env', '=', env);
    }
    if (key !== undefined) {
      starts = starts.where('v.key', '=', key);
      removals = removals.where('v.key', '=', key);
    }
    const eventColumns = [
      'v.env',
      'v.key',
      's.id as snapshot_id',
      's.taken_at as at',
      'v.fingerprint',
      'v.type',
      'v.sensitive',
      'v.value',
      'v.origin_source',
      'v.origin_file',
      'v.origin_line',
      'v.origin_column',
    ] as const;

    let query = db
      .selectFrom(starts.select(eventColumns).unionAll(removals.select(eventColumns)).as('events'))
      .selectAll()
      .orderBy('at', 'desc')
      .orderBy(this.#textOrder('env'), 'desc')
      .orderBy('snapshot_id', 'desc')
      .orderBy(this.#textOrder('key'), 'desc');
    if (limit !== undefined) query = query.limit(limit);
    const rows = await query.execute();

    const events = rows.map((row): KeyEvent => {
      const value = storedValue(row);
      return {
        env: row.env,
        key: row.key,
        change: row.change,
        at: row.at,
        snapshotId: row.snapshot_id,
        fingerprint: row.fingerprint,
        type: row.type as ValueType,
        ...(value === undefined ? {} : { value }),
        sensitive: Boolean(row.sensitive),
        origin: originFromRow(row),
      };
    });
    return events.sort(
      (a, b) =>
        compareCodeUnits(a.at, b.at) ||
        compareCodeUnits(a.env, b.env) ||
        a.snapshotId - b.snapshotId ||
        compareCodeUnits(a.key, b.key),
    );
  }

  /** Orders a text column by code point in both databases: PostgreSQL's default collation would not. */
  #textOrder(column: 'env' | 'key') {
    return this.#connection.dialect === 'postgres' ? sql`${sql.ref(column)} collate "C"` : sql.ref(column);
  }

  async removedKeys(env: string): Promise<RemovedKey[]> {
    return readTransaction(this.#connection, async (trx) => {
      const recorded = await trx
        .selectFrom('key_versions as v')
        .innerJoin('snapshots as s', 's.id', 'v.ended_snapshot_id')
        .where('v.env', '=', env)
        .where(({ not, exists }) => not(exists(openVersion(trx, 'v'))))
        .groupBy('v.key')
        .select((eb) => ['v.key', eb.fn.max('s.taken_at').as('removed_at')])
        .execute();
      // Removals whose versions retention has pruned; one the environment has since undone does not count.
      const kept = await trx
        .selectFrom('removal_facts as f')
        .where('f.env', '=', env)
        .where(({ not, exists }) => not(exists(openVersion(trx, 'f'))))
        .select(['f.key', 'f.removed_at'])
        .execute();
      const latest = new Map<string, string>();
      for (const { key, removed_at } of [...kept, ...recorded]) {
        const known = latest.get(key);
        if (known === undefined || removed_at > known) latest.set(key, removed_at);
      }
      return [...latest].map(([key, removedAt]) => ({ key, removedAt })).sort((a, b) => compareCodeUnits(a.key, b.key));
    });
  }

  async recordFindings(ids: readonly string[], at: string): Promise<Map<string, string>> {
    const seenAt = normalizeTime(at, 'recordFindings: at');
    const unique = [...new Set(ids)].sort(compareCodeUnits);
    const firstSeen = new Map<string, string>();
    if (unique.length === 0) return firstSeen;
    await writeTransaction(this.#connection, [], async (trx) => {
      for (const batch of chunks(unique, INSERT_CHUNK)) {
        const rows = await trx
          .insertInto('finding_sightings')
          .values(batch.map((id) => ({ finding_id: id, first_seen: seenAt, last_seen: seenAt })))
          // Earliest first sighting and latest last sighting win, whatever order reports arrive in.
          .onConflict((conflict) =>
            conflict.column('finding_id').doUpdateSet((eb) => ({
              first_seen: eb
                .case()
                .when('excluded.first_seen', '<', eb.ref('finding_sightings.first_seen'))
                .then(eb.ref('excluded.first_seen'))
                .else(eb.ref('finding_sightings.first_seen'))
                .end(),
              last_seen: eb
                .case()
                .when('excluded.last_seen', '>', eb.ref('finding_sightings.last_seen'))
                .then(eb.ref('excluded.last_seen'))
                .else(eb.ref('finding_sightings.last_seen'))
                .end(),
            })),
          )
          .returning(['finding_id', 'first_seen'])
          .execute();
        for (const row of rows) firstSeen.set(row.finding_id, row.first_seen);
      }
    });
    return new Map(unique.map((id) => [id, firstSeen.get(id) as string]));
  }

  async prune(options: PruneOptions): Promise<PruneResult> {
    const { keepDays, now } = options;
    if (!(Number.isFinite(keepDays) && keepDays >= 0)) {
      throw new RangeError(`prune: keepDays must be a non-negative number, got ${keepDays}`);
    }
    const cutoff = new Date(now.getTime() - keepDays * DAY_MS).toISOString();
    const environments = await this.environments();
    return writeTransaction(this.#connection, environments, async (trx) => {
      const doomed = doomedSnapshotIds(trx, cutoff);
      await keepRemovalFacts(trx, doomed);
      // Versions that ended in a doomed snapshot ended before every kept one began: nothing kept needs them.
      await trx.deleteFrom('key_versions').where('ended_snapshot_id', 'in', doomed).execute();
      const result = await trx.deleteFrom('snapshots').where('id', 'in', doomed).executeTakeFirst();
      // Rounds are kept as long as the snapshots they would have been.
      await trx.deleteFrom('snapshot_rounds').where('recorded_at', '<', cutoff).execute();
      // A removal matters while some environment still holds the key; undone removals go too.
      await trx
        .deleteFrom('removal_facts')
        .where((eb) =>
          eb.or([
            eb.not(
              eb.exists(
                eb
                  .selectFrom('key_versions as o')
                  .select('o.id')
                  .whereRef('o.key', '=', 'removal_facts.key')
                  .where('o.ended_snapshot_id', 'is', null),
              ),
            ),
            eb.exists(openVersion(trx, 'removal_facts')),
          ]),
        )
        .execute();
      return { snapshotsDeleted: Number(result.numDeletedRows) };
    });
  }

  recordWebhookDelivery(delivery: WebhookDelivery): Promise<boolean> {
    return recordWebhookDelivery(this.#connection, delivery);
  }

  forgetWebhookDelivery(id: string): Promise<void> {
    return forgetWebhookDelivery(this.#connection, id);
  }

  pruneWebhookDeliveries(before: Date): Promise<number> {
    return pruneWebhookDeliveries(this.#connection, before);
  }

  async ping(): Promise<void> {
    if (this.#closed) throw new StoreError('unavailable', 'the history store is closed', this.#connection.where);
    await pingStore(this.#connection);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#connection.db.destroy();
  }

  // The report outbox, implemented apart (kysely-report-outbox.ts).

  enqueueReport(report: NewOutboxReport) {
    return this.#outbox.enqueueReport(report);
  }

  reportByOccurrence(occurrence: string): Promise<OutboxReport | undefined> {
    return this.#outbox.reportByOccurrence(occurrence);
  }

  pendingReports(): Promise<OutboxReport[]> {
    return this.#outbox.pendingReports();
  }

  claimReport(id: number, claim: ReportClaim): Promise<boolean> {
    return this.#outbox.claimReport(id, claim);
  }

  recordDelivery(id: number, record: DeliveryRecord): Promise<void> {
    return this.#outbox.recordDelivery(id, record);
  }

  lastDeliveredReport() {
    return this.#outbox.lastDeliveredReport();
  }

  firstSightings(ids: readonly string[]): Promise<Map<string, string>> {
    return this.#outbox.firstSightings(ids);
  }

  pruneReports(options: { readonly keepDays: number; readonly now: Date }): Promise<number> {
    return this.#outbox.pruneReports(options);
  }
}

/** The open (current) version of the same env and key as the row `alias` names, if there is one. */
function openVersion(trx: Kysely<StoreDatabase>, alias: 'v' | 'f' | 'removal_facts') {
  return trx
    .selectFrom('key_versions as o')
    .select('o.id')
    .whereRef('o.env', '=', sql.ref(`${alias}.env`))
    .whereRef('o.key', '=', sql.ref(`${alias}.key`))
    .where('o.ended_snapshot_id', 'is', null);
}

/**
 * Before retention deletes the versions that ended in `doomed` snapshots,
 * records the removals among them (a version with no successor, of a key the
 * environment still lacks) that still matter: some environment holds the key.
 */
async function keepRemovalFacts(trx: Kysely<StoreDatabase>, doomed: ReturnType<typeof doomedSnapshotIds>) {
  const removals = trx
    .selectFrom('key_versions as v')
    .innerJoin('snapshots as s', 's.id', 'v.ended_snapshot_id')
    .leftJoin('snapshots as last', 'last.id', 'v.last_snapshot_id')
    .where('v.ended_snapshot_id', 'in', doomed)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('key_versions as n')
            .select('n.id')
            .whereRef('n.env', '=', 'v.env')
            .whereRef('n.key', '=', 'v.key')
            .whereRef('n.first_snapshot_id', '=', 'v.ended_snapshot_id'),
        ),
      ),
    )
    .where(({ not, exists }) => not(exists(openVersion(trx, 'v'))))
    .where(({ exists, selectFrom }) =>
      exists(
        selectFrom('key_versions as h')
          .select('h.id')
          .whereRef('h.key', '=', 'v.key')
          .where('h.ended_snapshot_id', 'is', null),
      ),
    )
    .groupBy(['v.env', 'v.key'])
    .select((eb) => [
      'v.env',
      'v.key',
      eb.fn.max('s.taken_at').as('removed_at'),
      eb.fn.max('last.taken_at').as('last_present_at'),
    ]);
  await trx
    .insertInto('removal_facts')
    .columns(['env', 'key', 'removed_at', 'last_present_at'])
    .expression(removals)
    .onConflict((conflict) =>
      conflict.columns(['env', 'key']).doUpdateSet((eb) => ({
        // The latest removal wins: a key removed, brought back and removed again was removed then.
        removed_at: eb
          .case()
          .when('excluded.removed_at', '>', eb.ref('removal_facts.removed_at'))
          .then(eb.ref('excluded.removed_at'))
          .else(eb.ref('removal_facts.removed_at'))
          .end(),
        last_present_at: eb
          .case()
          .when('excluded.removed_at', '>', eb.ref('removal_facts.removed_at'))
          .then(eb.ref('excluded.last_present_at'))
          .else(eb.ref('removal_facts.last_present_at'))
          .end(),
      })),
    )
    .execute();
}

/** Snapshots taken before `cutoff`, except each environment's latest. */
function doomedSnapshotIds(trx: Kysely<StoreDatabase>, cutoff: string) {
  return trx
    .selectFrom('snapshots')
    .select('id')
    .where('taken_at', '<', cutoff)
    .where(
      'id',
      'not in',
      trx
        .selectFrom('snapshots as latest')
        .select((eb) => eb.fn.max('latest.id').as('id'))
        .groupBy('latest.env'),
    );
}

function sortedEntries(snapshot: Snapshot): Entry[] {
  for (const [key, entry] of snapshot.entries) {
    if (entry.key !== key) throw new Error(`snapshot of ${snapshot.env}: entry ${entry.key} is filed under ${key}`);
  }
  return [...snapshot.entries.values()].sort((a, b) => compareCodeUnits(a.key, b.key));
}

/** ISO 8601 UTC as `toISOString` writes it, so that text order is time order in both databases. */
function normalizeTime(text: string, what: string): string {
  const time = new Date(text);
  if (Number.isNaN(time.getTime())) throw new RangeError(`${what} is not a date: ${JSON.stringify(text)}`);
  return time.toISOString();
}

function* chunks<T>(items: readonly T[], size: number): Generator<T[]> {
  for (let start = 0; start < items.length; start += size) yield items.slice(start, start + size);
}
