import type { ReportDigest } from '../report/digest.js';

/**
 * Where a report goes (Slack). The core writes what `render` returns to the
 * outbox before `deliver` is called, and sends exactly that — also when a
 * later run sends a report an earlier one left pending.
 */
export interface ReportChannel {
  /** `slack`: recorded with each report in the outbox. */
  readonly name: string;
  /** The message for a digest, as JSON-serialisable data. Pure. */
  render(digest: ReportDigest): unknown;
  /**
   * Sends one message, retrying what may heal (within its own bounds), and
   * says what became of it. Never throws for a failed delivery; its reasons
   * never hold the destination's URL.
   */
  deliver(payload: unknown): Promise<DeliveryOutcome>;
}

export type DeliveryOutcome =
  | { readonly ok: true; readonly attempts: number }
  | {
      readonly ok: false;
      /** True when trying again will not help (a revoked webhook): the report is not tried again. */
      readonly permanent: boolean;
      readonly reason: string;
      readonly attempts: number;
      /** The HTTP status of the last answer, when there was one. */
      readonly status?: number;
    };
