import { randomBytes } from 'node:crypto';
import { previewReport, type SendReportResult, type SentReport, sendReport } from '../check/send-report.js';
import { UsageError } from '../errors.js';
import { digestHeadline } from '../report/digest.js';
import { digestRenderers } from '../report/digest-renderers.js';
import { slackMessage } from '../slack/block-kit.js';
import { type SlackDeliveryOptions, slackChannel } from '../slack/slack-channel.js';
import { resolveWebhookUrl } from '../slack/webhook-url.js';
import { EXIT } from './exit-codes.js';
import type { Io } from './io.js';
import { printProblems } from './problems.js';
import type { REPORT_DESTINATIONS, REPORT_OUTPUT_FORMATS } from './report-options.js';
import { openWorkspace } from './workspace.js';

export interface ReportCommandOptions {
  readonly config?: string;
  readonly to?: (typeof REPORT_DESTINATIONS)[number];
  readonly format?: (typeof REPORT_OUTPUT_FORMATS)[number];
  /** For tests and reproducible runs: the moment the report is built at. */
  readonly now?: Date;
  /** For tests: faster retries and timeouts than Slack deserves. */
  readonly delivery?: Omit<SlackDeliveryOptions, 'webhook'>;
}

/**
 * `driftwatch report`: a fresh check read against the history — new and
 * resolved since the last delivered report, the oldest drifts, the counts.
 * `--to stdout` prints it and records no report; `--to slack` sends it
 * through the outbox (what an earlier run left pending goes first).
 */
export async function reportCommand(options: ReportCommandOptions, io: Io): Promise<number> {
  const to = options.to ?? 'stdout';
  if (to === 'slack' && options.format !== undefined && options.format !== 'slack') {
    throw new UsageError('--to slack sends the Block Kit message; --format goes with --to stdout');
  }
  const workspace = await openWorkspace(options.config, io);
  const { config } = workspace;

  if (to === 'stdout') {
    const format = options.format ?? 'text';
    const preview = await previewReport(workspace, { now: options.now });
    for (const notice of preview.notices) io.stderr.write(`${notice}\n`);
    const { digest } = preview;
    io.stdout.write(
      format === 'slack' ? `${JSON.stringify(slackMessage(digest), null, 2)}\n` : digestRenderers[format](digest),
    );
    if (digest.quiet && config.report.quiet === 'skip') {
      io.stderr.write('driftwatch: a quiet day; with report.quiet: skip, nothing would be sent to Slack\n');
    }
    if (preview.pending > 0) {
      io.stderr.write(
        `driftwatch: ${preview.pending} report(s) wait in the outbox; the next report --to slack sends them first\n`,
      );
    }
    return preview.incomplete ? failClosed(io, digest.failedSources.length) : EXIT.OK;
  }

  // Before any work: without a webhook nothing can be sent, not even what is pending.
  const webhook = resolveWebhookUrl(config.report, io.env);
  const now = options.now ?? new Date();
  const result = await sendReport(workspace, {
    channel: slackChannel({ webhook, ...options.delivery }),
    // A run from the command line is its own occurrence.
    occurrence: `report ${now.toISOString()} ${randomBytes(4).toString('hex')}`,
    now,
  });
  for (const notice of result.notices) io.stderr.write(`${notice}\n`);
  return printOutcome(result, io);
}

function printOutcome(result: SendReportResult, io: Io): number {
  let failed = false;
  for (const sent of result.earlier) {
    failed = printSent(sent, `the report left pending since ${sent.createdAt}`, io) || failed;
  }
  const { occurrence } = result;
  switch (occurrence.status) {
    case 'sent':
      failed = printSent(occurrence.sent, 'the report', io, result) || failed;
      break;
    case 'skipped':
      io.stdout.write(
        `nothing sent: a quiet day and report.quiet is skip (${result.digest ? digestHeadline(result.digest) : ''})\n`,
      );
      break;
    case 'known':
      io.stdout.write(`this report was built before (${occurrence.report.status}); nothing more to do\n`);
      break;
    case 'held-back':
      io.stderr.write('driftwatch: no new report built while an earlier one cannot be sent\n');
      failed = true;
      break;
  }
  if (result.incomplete) return failClosed(io, result.digest?.failedSources.length ?? 0);
  return failed ? EXIT.FAILED : EXIT.OK;
}

/** One line per report sent or tried; true when it failed. */
function printSent(sent: SentReport, what: string, io: Io, result?: SendReportResult): boolean {
  const { outcome } = sent;
  if (outcome.ok) {
    const headline = result?.digest ? `: ${digestHeadline(result.digest)}` : '';
    io.stdout.write(`sent ${what} to Slack${headline}\n`);
    return false;
  }
  const next = outcome.permanent
    ? 'it will not be tried again; the outbox keeps it as failed'
    : 'it waits in the outbox, and the next run sends it first';
  printProblems(io.stderr, [{ source: 'slack', message: `could not send ${what}: ${outcome.reason}; ${next}` }]);
  return true;
}

function failClosed(io: Io, problems: number): number {
  io.stderr.write(
    `driftwatch: the check could not be completed (${problems} source problem(s)); the report says so; failing closed\n`,
  );
  return EXIT.FAILED;
}
