import type { DigestFinding } from '../report/digest.js';

/**
 * The store's side of report delivery: an outbox of reports written before
 * they are sent and marked after, and the findings each delivered report saw
 * (what "new since the last report" is measured against).
 */
export interface ReportOutbox {
  /**
   * Writes a report for `occurrence`, unless one is already there: then that
   * one is returned with `created: false` and nothing is written.
   */
  enqueueReport(report: NewOutboxReport): Promise<{ readonly report: OutboxReport; readonly created: boolean }>;
  reportByOccurrence(occurrence: string): Promise<OutboxReport | undefined>;
  /** Reports written and not yet delivered nor failed for good, oldest first. */
  pendingReports(): Promise<OutboxReport[]>;
  /**
   * Takes a pending report for `claimant` until `until`, if its claim is
   * still `expected` (compare and set): of two senders, one wins.
   */
  claimReport(id: number, claim: ReportClaim): Promise<boolean>;
  /** What became of one delivery attempt (a run's attempts, retries included); releases the claim. */
  recordDelivery(id: number, record: DeliveryRecord): Promise<void>;
  /** The latest delivered report whose check was complete: the base of the next report's news. */
  lastDeliveredReport(): Promise<DeliveredReport | undefined>;
  /** When each finding was first seen (ISO 8601 UTC), for those the history has seen. */
  firstSightings(ids: readonly string[]): Promise<Map<string, string>>;
  /**
   * Deletes delivered, failed and skipped reports built more than `keepDays`
   * before `now`, except the latest delivered one (the next report's base).
   * Pending reports are never deleted.
   */
  pruneReports(options: { readonly keepDays: number; readonly now: Date }): Promise<number>;
}

export type OutboxStatus = 'pending' | 'delivered' | 'failed' | 'skipped';

/** A finding as a report saw it: enough to say later that it was resolved, and no value a secret could hide in. */
export type OutboxFinding = DigestFinding;

export interface NewOutboxReport {
  readonly occurrence: string;
  readonly channel: string;
  /** ISO 8601 UTC. */
  readonly createdAt: string;
  /** `skipped`: a quiet day on which nothing is sent; recorded so the occurrence is not built again. */
  readonly status: 'pending' | 'skipped';
  /** The message exactly as it will be sent (JSON-serialisable); absent when skipped. */
  readonly payload?: unknown;
  /** The findings open when it was built, in report order; null when the check could not be completed. */
  readonly openFindings: readonly OutboxFinding[] | null;
}

export interface OutboxReport {
  readonly id: number;
  readonly occurrence: string;
  readonly channel: string;
  readonly createdAt: string;
  readonly status: OutboxStatus;
  readonly payload?: unknown;
  readonly attempts: number;
  readonly lastError?: string;
  readonly claimedBy?: string;
  readonly claimedUntil?: string;
  readonly deliveredAt?: string;
}

export interface ReportClaim {
  readonly claimant: string;
  /** ISO 8601 UTC. */
  readonly until: string;
  /** The claim the caller saw (null: unclaimed). */
  readonly expected: string | null;
}

export type DeliveryRecord =
  | { readonly status: 'delivered'; readonly at: string; readonly attempts: number }
  /** Will not heal (a revoked webhook): not tried again. */
  | { readonly status: 'failed'; readonly at: string; readonly attempts: number; readonly reason: string }
  /** Gave up for now (Slack down, unreachable): stays pending for the next run. */
  | { readonly status: 'pending'; readonly at: string; readonly attempts: number; readonly reason: string };

export interface DeliveredReport {
  readonly id: number;
  readonly occurrence: string;
  readonly createdAt: string;
  readonly deliveredAt: string;
  readonly openFindings: readonly OutboxFinding[];
}
