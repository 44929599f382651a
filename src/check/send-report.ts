import type { ReportDigest } from '../report/digest.js';
import type { OutboxReport } from '../store/report-outbox.js';
import type { Store } from '../store/store.js';
import { openHistory } from './open-history.js';
import { OutboxSender, type SendPendingOptions, type SentReport } from './outbox-sender.js';
import { buildReportDigest, openFindingsOf } from './report-digest.js';
import { noticeLines, runCheck } from './run-check.js';
import { roundProblems } from './snapshot-round.js';
import type { Workspace } from './workspace.js';

export type { DeliveryFailure, SendPendingOptions, SentReport } from './outbox-sender.js';

export interface ReportRunOptions {
  /** The moment the report is built at: first-seen ages, the date it shows, history sightings. */
  readonly now?: Date;
}

export interface SendReportOptions extends SendPendingOptions {
  /**
   * Which occurrence this is: a schedule's tick (its ISO time) or a one-off
   * run's own id. An occurrence is built and sent at most once: called again,
   * it sends the report left pending or does nothing.
   */
  readonly occurrence: string;
}

export type OccurrenceResult =
  /** Built, written to the outbox, and sent (or tried: see the outcome). */
  | { readonly status: 'sent'; readonly sent: SentReport }
  /** A quiet day with `report.quiet: skip`: nothing sent. */
  | { readonly status: 'skipped' }
  /** This occurrence was built before (by an earlier run, or by another process right now). */
  | { readonly status: 'known'; readonly report: OutboxReport }
  /** Not built: a report left pending could not be sent, so a new one would only queue up behind it. */
  | { readonly status: 'held-back' };

export interface SendReportResult {
  /** Reports earlier runs left pending, sent first, oldest first. */
  readonly earlier: readonly SentReport[];
  readonly occurrence: OccurrenceResult;
  /** The digest built for this occurrence (absent when none was built). */
  readonly digest?: ReportDigest;
  /** The check could not be completed: the report says which sources failed. */
  readonly incomplete: boolean;
  /** What the reader should know that is not in the report (no history yet). */
  readonly notices: readonly string[];
}

/**
 * Builds the drift report and delivers it through the outbox: written to the
 * store before it is sent, marked after. What an earlier run left pending
 * (a crash, Slack down) is sent first, so nothing is lost; the one duplicate
 * possible is a report Slack accepted while the sender never learnt it did
 * (killed before marking it, or the answer lost to a timeout). Idempotent per
 * occurrence: a scheduled job that runs twice sends once.
 */
export async function sendReport(workspace: Workspace, options: SendReportOptions): Promise<SendReportResult> {
  const store = await openHistory(workspace.config, workspace.env, 'create');
  try {
    return await sendReportWith(store, workspace, options);
  } finally {
    await store.close();
  }
}

/** `sendReport` on a store the caller holds open (the service's) and closes itself. */
export async function sendReportWith(
  store: Store,
  workspace: Workspace,
  options: SendReportOptions,
): Promise<SendReportResult> {
  const now = options.now ?? new Date();
  const sender = new OutboxSender(store, options, now);
  const earlier = await sender.sendPending();
  const known = await store.reportByOccurrence(options.occurrence);
  const nothingBuilt = { earlier, incomplete: false, notices: [] };
  if (known !== undefined) return { ...nothingBuilt, occurrence: { status: 'known', report: known } };
  if (earlier.some((sent) => !sent.outcome.ok)) return { ...nothingBuilt, occurrence: { status: 'held-back' } };

  const built = await buildDigest(workspace, store, now);
  const { digest } = built;
  const result = { earlier, digest, incomplete: built.incomplete, notices: built.notices };
  const base = { occurrence: options.occurrence, channel: options.channel.name, createdAt: now.toISOString() };
  if (digest.quiet && workspace.config.report.quiet === 'skip') {
    const { created, report } = await store.enqueueReport({ ...base, status: 'skipped', openFindings: null });
    await store.pruneReports({ keepDays: workspace.config.history.keepDays, now });
    return { ...result, occurrence: created ? { status: 'skipped' } : { status: 'known', report } };
  }
  const { created, report } = await store.enqueueReport({
    ...base,
    status: 'pending',
    payload: options.channel.render(digest),
    openFindings: built.openFindings,
  });
  if (!created) return { ...result, occurrence: { status: 'known', report } };
  const sent = await sender.send(report);
  await store.pruneReports({ keepDays: workspace.config.history.keepDays, now });
  // Claimed by nobody else a moment after we wrote it, so ours to send; undefined only if another took it over.
  return { ...result, occurrence: sent ? { status: 'sent', sent } : { status: 'known', report } };
}

/**
 * Sends what earlier runs left pending and builds nothing: for `serve` on
 * start, before its next scheduled report. Stops at the first that fails.
 */
export async function sendPendingReports(workspace: Workspace, options: SendPendingOptions): Promise<SentReport[]> {
  const now = options.now ?? new Date();
  const store = await openHistory(workspace.config, workspace.env, 'create');
  try {
    return await new OutboxSender(store, options, now).sendPending();
  } finally {
    await store.close();
  }
}

export interface PreviewResult {
  readonly digest: ReportDigest;
  readonly incomplete: boolean;
  readonly notices: readonly string[];
  /** Reports waiting in the outbox: the next `--to slack` run sends them first. */
  readonly pending: number;
}

/**
 * The report as `sendReport` would build it now, compared with the last
 * delivered one, without sending or recording a report. Creates no history.
 */
export async function previewReport(workspace: Workspace, options: ReportRunOptions = {}): Promise<PreviewResult> {
  const now = options.now ?? new Date();
  const store = await openHistory(workspace.config, workspace.env, 'existing');
  try {
    const built = await buildDigest(workspace, store, now);
    const pending = store ? (await store.pendingReports()).length : 0;
    return { digest: built.digest, incomplete: built.incomplete, notices: built.notices, pending };
  } finally {
    await store?.close();
  }
}

/** A fresh check, read against the last delivered report and the history's first sightings. */
async function buildDigest(workspace: Workspace, store: Store | undefined, now: Date) {
  const { config } = workspace;
  const run = await runCheck(workspace, { now });
  const previous = await store?.lastDeliveredReport();
  const incomplete = run.incomplete || run.report.errors.length > 0;
  const openFindings = incomplete ? null : openFindingsOf(run.report);
  const firstSeen = store && openFindings ? await store.firstSightings(openFindings.map((f) => f.id)) : new Map();
  const troubled = store ? await store.troubledSnapshotRounds(previous?.createdAt) : [];
  const digest = buildReportDigest({
    report: run.report,
    incomplete,
    ...(previous ? { previous } : {}),
    firstSeen,
    now,
    timezone: config.report.timezone,
    ...(config.report.link === undefined ? {} : { link: config.report.link }),
    snapshotProblems: roundProblems(troubled),
  });
  return { digest, incomplete, notices: noticeLines(run), openFindings };
}
