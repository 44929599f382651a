import { plural } from '../plural.js';
import type { ReportError, Severity } from './report.js';

/**
 * The drift report as plain data, for whichever channel sends it (Slack, a
 * terminal, a CI log): a fresh check read against the history. It carries
 * keys, rules and environments, never a value or a message, so no renderer
 * can show a secret whatever it does.
 */
export interface ReportDigest {
  readonly version: 1;
  /** When it was built, ISO 8601 UTC. */
  readonly at: string;
  /** The IANA time zone dates are shown in. */
  readonly timezone: string;
  /** False when a source could not be read: then nothing is known about findings, and nothing is new or resolved. */
  readonly complete: boolean;
  /** Open findings by severity. */
  readonly open: Readonly<Record<Severity, number>>;
  /** Per environment: its keys and the open findings that concern it (a finding about two environments counts in both). */
  readonly environments: readonly DigestEnvironment[];
  /** The last delivered report this one is compared with; absent for the first report. */
  readonly since?: { readonly at: string };
  /** Open now and not at the last delivered report (every open finding in the first report), in report order. */
  readonly new: readonly AgedFinding[];
  /** Open at the last delivered report and not now. */
  readonly resolved: readonly DigestFinding[];
  /** The longest-open findings, oldest first (only findings the history has seen). */
  readonly oldest: readonly AgedFinding[];
  /** The first open findings in report order (severity first). */
  readonly top: readonly AgedFinding[];
  /** How many findings are open in all. */
  readonly openCount: number;
  readonly failedSources: readonly ReportError[];
  /** Where the details are (`report.link`). */
  readonly link?: string;
  /** Nothing new, nothing resolved, nothing failed since the last report: one line says so. */
  readonly quiet: boolean;
}

export interface DigestEnvironment {
  readonly name: string;
  readonly keys: number;
  readonly findings: Readonly<Record<Severity, number>>;
}

export interface DigestFinding {
  readonly id: string;
  readonly severity: Severity;
  readonly rule: string;
  readonly key: string;
  readonly envs: readonly string[];
}

export interface AgedFinding extends DigestFinding {
  /** First seen (ISO 8601 UTC), from the history; absent when there is none. */
  readonly firstSeen?: string;
  /** Whole days since `firstSeen`. */
  readonly ageDays?: number;
}

/** Turns a digest into text for one audience. Pure: no files, no environment, no clock. */
export type DigestRenderer = (digest: ReportDigest) => string;

export type DigestFormat = 'text' | 'json' | 'markdown';

/**
 * The report's title line, the same in every channel: what changed since the
 * last report, or — on a quiet day — that nothing did ("still clean", "still 7
 * open, none new"), so that a quiet day reads differently from a dead bot.
 */
export function digestHeadline(digest: ReportDigest): string {
  if (!digest.complete) {
    const failed = digest.failedSources.length;
    return `driftwatch: the check could not be completed (${plural(failed, 'source problem')})`;
  }
  if (digest.quiet) {
    return digest.openCount === 0 ? 'driftwatch: still clean' : `driftwatch: still ${digest.openCount} open, none new`;
  }
  const open = digest.openCount === 0 ? 'clean' : `${digest.openCount} open`;
  if (digest.since === undefined) return `driftwatch: first report, ${open}`;
  const changes = [
    digest.new.length > 0 ? `${digest.new.length} new` : 'none new',
    ...(digest.resolved.length > 0 ? [`${digest.resolved.length} resolved`] : []),
  ];
  return `driftwatch: ${changes.join(', ')} · ${open}`;
}

/** `2 errors, 5 warnings, 0 notices`. */
export function severityCounts(counts: Readonly<Record<Severity, number>>): string {
  return `${plural(counts.error, 'error')}, ${plural(counts.warning, 'warning')}, ${plural(counts.notice, 'notice')}`;
}

/** `47 days`, `1 day`, `today`. */
export function describeAge(days: number): string {
  return days === 0 ? 'today' : plural(days, 'day');
}

/**
 * `2026-11-25 09:00` in `timeZone`. Intl is given the zone explicitly, so the
 * result does not depend on the machine's own time zone.
 */
export function zonedTime(iso: string, timeZone: string): string {
  const parts = zonedParts(iso, timeZone, true);
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}`;
}

/** `2026-11-25` in `timeZone`. */
export function zonedDate(iso: string, timeZone: string): string {
  const parts = zonedParts(iso, timeZone, false);
  return `${parts.year}-${parts.month}-${parts.day}`;
}

function zonedParts(iso: string, timeZone: string, withTime: boolean): Record<string, string> {
  const format = new Intl.DateTimeFormat('en-US', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    ...(withTime ? { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' as const } : {}),
  });
  const parts: Record<string, string> = {};
  for (const part of format.formatToParts(new Date(iso))) parts[part.type] = part.value;
  return parts;
}
