import type { Selectable } from 'kysely';
import type { ReportOutboxTable } from './database.js';
import type {
  DeliveredReport,
  DeliveryRecord,
  NewOutboxReport,
  OutboxFinding,
  OutboxReport,
  OutboxStatus,
  ReportClaim,
  ReportOutbox,
} from './report-outbox.js';
import { type StoreConnection, writeTransaction } from './store-connection.js';

/** Ids per `IN (…)` list. */
const ID_CHUNK = 5000;
const DAY_MS = 86_400_000;

/** The report outbox over kysely, on SQLite and PostgreSQL alike. */
export function kyselyReportOutbox(connection: StoreConnection): ReportOutbox {
  const { db } = connection;

  async function reportByOccurrence(occurrence: string): Promise<OutboxReport | undefined> {
    const row = await db
      .selectFrom('report_outbox')
      .selectAll()
      .where('occurrence', '=', occurrence)
      .executeTakeFirst();
    return row === undefined ? undefined : outboxReportOf(row);
  }

  return {
    async enqueueReport(report: NewOutboxReport) {
      if (report.status === 'pending' && report.payload === undefined) {
        throw new TypeError('enqueueReport: a pending report needs its payload');
      }
      const inserted = await writeTransaction(connection, [], (trx) =>
        trx
          .insertInto('report_outbox')
          .values({
            occurrence: report.occurrence,
            channel: report.channel,
            created_at: new Date(report.createdAt).toISOString(),
            status: report.status,
            payload: report.payload === undefined ? null : JSON.stringify(report.payload),
            open_findings: report.openFindings === null ? null : JSON.stringify(report.openFindings.map(plainFinding)),
            attempts: 0,
          })
          // Two senders of one occurrence (a retried job, a second replica): the first row stands.
          .onConflict((conflict) => conflict.column('occurrence').doNothing())
          .returningAll()
          .executeTakeFirst(),
      );
      if (inserted !== undefined) return { report: outboxReportOf(inserted), created: true };
      const existing = await reportByOccurrence(report.occurrence);
      if (existing === undefined) throw new Error(`report_outbox: occurrence ${report.occurrence} vanished`);
      return { report: existing, created: false };
    },

    reportByOccurrence,

    async pendingReports() {
      const rows = await db
        .selectFrom('report_outbox')
        .selectAll()
        .where('status', '=', 'pending')
        .orderBy('id')
        .execute();
      return rows.map(outboxReportOf);
    },

    async claimReport(id: number, claim: ReportClaim) {
      const result = await writeTransaction(connection, [], (trx) => {
        let update = trx
          .updateTable('report_outbox')
          .set({ claimed_by: claim.claimant, claimed_until: claim.until })
          .where('id', '=', id)
          .where('status', '=', 'pending');
        update =
          claim.expected === null
            ? update.where('claimed_by', 'is', null)
            : update.where('claimed_by', '=', claim.expected);
        return update.executeTakeFirst();
      });
      return Number(result.numUpdatedRows) === 1;
    },

    async recordDelivery(id: number, record: DeliveryRecord) {
      await writeTransaction(connection, [], (trx) =>
        trx
          .updateTable('report_outbox')
          .set((eb) => ({
            status: record.status,
            attempts: eb('attempts', '+', record.attempts),
            last_error: record.status === 'delivered' ? null : record.reason,
            delivered_at: record.status === 'delivered' ? new Date(record.at).toISOString() : null,
            claimed_by: null,
            claimed_until: null,
          }))
          .where('id', '=', id)
          // A report another sender already finished stays as that sender left it.
          .where('status', '=', 'pending')
          .execute(),
      );
    },

    async lastDeliveredReport(): Promise<DeliveredReport | undefined> {
      const row = await db
        .selectFrom('report_outbox')
        .select(['id', 'occurrence', 'created_at', 'delivered_at', 'open_findings'])
        .where('status', '=', 'delivered')
        .where('open_findings', 'is not', null)
        .orderBy('id', 'desc')
        .limit(1)
        .executeTakeFirst();
      if (row === undefined || row.open_findings === null) return undefined;
      return {
        id: row.id,
        occurrence: row.occurrence,
        createdAt: row.created_at,
        deliveredAt: row.delivered_at ?? row.created_at,
        openFindings: JSON.parse(row.open_findings) as OutboxFinding[],
      };
    },

    async firstSightings(ids: readonly string[]) {
      const unique = [...new Set(ids)];
      const firstSeen = new Map<string, string>();
      for (let start = 0; start < unique.length; start += ID_CHUNK) {
        const rows = await db
          .selectFrom('finding_sightings')
          .select(['finding_id', 'first_seen'])
          .where('finding_id', 'in', unique.slice(start, start + ID_CHUNK))
          .execute();
        for (const row of rows) firstSeen.set(row.finding_id, row.first_seen);
      }
      return firstSeen;
    },

    async pruneReports({ keepDays, now }) {
      if (!(Number.isFinite(keepDays) && keepDays >= 0)) {
        throw new RangeError(`pruneReports: keepDays must be a non-negative number, got ${keepDays}`);
      }
      const cutoff = new Date(now.getTime() - keepDays * DAY_MS).toISOString();
      return writeTransaction(connection, [], async (trx) => {
        const base = await trx
          .selectFrom('report_outbox')
          .select('id')
          .where('status', '=', 'delivered')
          .where('open_findings', 'is not', null)
          .orderBy('id', 'desc')
          .limit(1)
          .executeTakeFirst();
        let doomed = trx
          .deleteFrom('report_outbox')
          .where('status', 'in', ['delivered', 'failed', 'skipped'])
          .where('created_at', '<', cutoff);
        if (base !== undefined) doomed = doomed.where('id', '<>', base.id);
        const result = await doomed.executeTakeFirst();
        return Number(result.numDeletedRows);
      });
    },
  };
}

function outboxReportOf(row: Selectable<ReportOutboxTable>): OutboxReport {
  return {
    id: row.id,
    occurrence: row.occurrence,
    channel: row.channel,
    createdAt: row.created_at,
    status: row.status as OutboxStatus,
    ...(row.payload === null ? {} : { payload: JSON.parse(row.payload) as unknown }),
    attempts: row.attempts,
    ...(row.last_error === null ? {} : { lastError: row.last_error }),
    ...(row.claimed_by === null ? {} : { claimedBy: row.claimed_by }),
    ...(row.claimed_until === null ? {} : { claimedUntil: row.claimed_until }),
    ...(row.delivered_at === null ? {} : { deliveredAt: row.delivered_at }),
  };
}

/** Field by field: whatever else a caller's object carries (a message, values) never reaches the row. */
function plainFinding(finding: OutboxFinding): OutboxFinding {
  return { id: finding.id, severity: finding.severity, rule: finding.rule, key: finding.key, envs: [...finding.envs] };
}
