import type { OutboxReport } from '../store/report-outbox.js';
import type { Store } from '../store/store.js';
import { claimIsStale, newClaimant } from './outbox-claim.js';
import type { DeliveryOutcome, ReportChannel } from './report-channel.js';

/** Long enough for a channel's every retry; a dead claimant on the same machine is recognised sooner. */
export const DEFAULT_CLAIM_MS = 10 * 60_000;

export interface SendPendingOptions {
  readonly channel: ReportChannel;
  /** The moment the run is at: what the outbox records as attempted and delivered. */
  readonly now?: Date;
  /** Called for every failed delivery, with its reason: the service counts them. */
  readonly onDeliveryFailure?: (failure: DeliveryFailure) => void;
  /** How long a sender holds a report before another may take it over. */
  readonly claimMs?: number;
}

export interface DeliveryFailure {
  readonly occurrence: string;
  readonly channel: string;
  readonly permanent: boolean;
  readonly reason: string;
  readonly status?: number;
}

/** One report this run tried to send, and what became of it. */
export interface SentReport {
  readonly id: number;
  readonly occurrence: string;
  readonly createdAt: string;
  readonly outcome: DeliveryOutcome;
}

/** Claims, sends and marks outbox reports for one run: the outbox's protocol, whatever the channel. */
export class OutboxSender {
  readonly #store: Store;
  readonly #options: SendPendingOptions;
  readonly #now: Date;
  readonly #claimant = newClaimant();

  constructor(store: Store, options: SendPendingOptions, now: Date) {
    this.#store = store;
    this.#options = options;
    this.#now = now;
  }

  /** Every report left pending whose sender is gone, oldest first; stops at the first that fails. */
  async sendPending(): Promise<SentReport[]> {
    const sent: SentReport[] = [];
    for (const report of await this.#store.pendingReports()) {
      if (report.channel !== this.#options.channel.name) continue;
      const result = await this.send(report);
      if (result === undefined) continue;
      sent.push(result);
      if (!result.outcome.ok) break;
    }
    return sent;
  }

  /** Sends one report if this run can claim it; undefined when another live sender holds it. */
  async send(report: OutboxReport): Promise<SentReport | undefined> {
    // Leases run on the wall clock, whatever moment the report is built for.
    const wallClock = Date.now();
    if (!claimIsStale(report.claimedBy, report.claimedUntil, wallClock)) return undefined;
    const claimed = await this.#store.claimReport(report.id, {
      claimant: this.#claimant,
      until: new Date(wallClock + (this.#options.claimMs ?? DEFAULT_CLAIM_MS)).toISOString(),
      expected: report.claimedBy ?? null,
    });
    if (!claimed) return undefined;

    const { channel } = this.#options;
    let outcome: DeliveryOutcome;
    try {
      outcome = await channel.deliver(report.payload);
    } catch (error) {
      // A channel reports failures as outcomes; a throw is a bug. Release the report for the next run.
      await this.#store.recordDelivery(report.id, {
        status: 'pending',
        at: this.#now.toISOString(),
        attempts: 1,
        reason: 'the delivery failed unexpectedly (a bug in driftwatch)',
      });
      throw error;
    }
    const at = this.#now.toISOString();
    if (outcome.ok) {
      await this.#store.recordDelivery(report.id, { status: 'delivered', at, attempts: outcome.attempts });
    } else {
      const status = outcome.permanent ? 'failed' : 'pending';
      await this.#store.recordDelivery(report.id, { status, at, attempts: outcome.attempts, reason: outcome.reason });
      this.#options.onDeliveryFailure?.({
        occurrence: report.occurrence,
        channel: channel.name,
        permanent: outcome.permanent,
        reason: outcome.reason,
        ...(outcome.status === undefined ? {} : { status: outcome.status }),
      });
    }
    return { id: report.id, occurrence: report.occurrence, createdAt: report.createdAt, outcome };
  }
}
