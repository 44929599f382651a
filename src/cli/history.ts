import path from 'node:path';
import { openHistory } from '../check/open-history.js';
import { DEFAULT_CONFIG_FILE, loadConfig } from '../config/load.js';
import { UsageError } from '../errors.js';
import { terminalSafe } from '../report/terminal-safe.js';
import { terminalValue } from '../report/terminal-value.js';
import { shortFingerprint } from '../snapshot/fingerprint.js';
import { eventValue } from '../store/event-value.js';
import type { KeyEvent } from '../store/store.js';
import { EXIT } from './exit-codes.js';
import type { Io } from './io.js';
import { printNotices } from './problems.js';

export interface HistoryCommandOptions {
  readonly config?: string;
  readonly env?: string;
  readonly format?: 'text' | 'json';
  /** Only the most recent N events; a string as typed on the command line. */
  readonly limit?: string | number;
}

export const NO_HISTORY_MESSAGE = 'no snapshots stored yet; run driftwatch snapshot --all --store';

/** Values longer than this are cut in text output: a timeline line should fit a terminal. */
const MAX_VALUE_LENGTH = 40;

/**
 * `driftwatch history [KEY]`: when keys were added, changed and removed in
 * each environment, from the stored snapshots, oldest first. Secrets appear
 * only as fingerprints: the store never had their values.
 */
export async function historyCommand(key: string | undefined, options: HistoryCommandOptions, io: Io): Promise<number> {
  const limit = parseLimit(options.limit);
  const file = path.resolve(io.cwd, options.config ?? DEFAULT_CONFIG_FILE);
  const config = await loadConfig(file, path.relative(io.cwd, file) || file);
  printNotices(io.stderr, config.notices);
  const configured = config.environments.map((environment) => environment.name);
  const store = await openHistory(config, io.env, 'existing');
  let stored: string[] = [];
  let events: KeyEvent[] = [];
  try {
    if (store) stored = await store.environments();
    if (options.env !== undefined && !configured.includes(options.env) && !stored.includes(options.env)) {
      throw new UsageError(`unknown environment '${options.env}'; the config defines ${configured.join(', ')}`);
    }
    if (store && stored.length > 0) events = await store.keyHistory({ env: options.env, key, limit });
  } finally {
    await store?.close();
  }

  if (options.format === 'json') {
    if (stored.length === 0) io.stderr.write(`driftwatch: ${NO_HISTORY_MESSAGE}\n`);
    io.stdout.write(`${JSON.stringify({ version: 1, events: events.map(eventToJson) }, null, 2)}\n`);
    return EXIT.OK;
  }
  if (stored.length === 0) {
    io.stdout.write(`${NO_HISTORY_MESSAGE}\n`);
    return EXIT.OK;
  }
  if (events.length === 0) {
    const what = key === undefined ? 'no changes' : `no changes to ${key}`;
    io.stdout.write(`${what} recorded${options.env === undefined ? '' : ` in ${options.env}`}\n`);
    return EXIT.OK;
  }
  io.stdout.write(eventsToText(events));
  return EXIT.OK;
}

function parseLimit(limit: string | number | undefined): number | undefined {
  if (limit === undefined) return undefined;
  const text = String(limit);
  if (!/^[1-9][0-9]*$/.test(text))
    throw new UsageError(`--limit takes a whole number of events, at least 1 (got '${text}')`);
  return Number(text);
}

function eventsToText(events: readonly KeyEvent[]): string {
  const envWidth = Math.max(0, ...events.map((event) => terminalSafe(event.env).length));
  const lines = events.map((event) => {
    const key = terminalSafe(event.key);
    const what = event.change === 'removed' ? key : `${key} = ${shownValue(event)}`;
    const where = event.origin ? `  ${terminalSafe(originOf(event.origin))}` : '';
    return `${timeOf(event.at)}  ${terminalSafe(event.env).padEnd(envWidth)}  ${event.change.padEnd(7)}  ${what}${where}`;
  });
  return `${lines.join('\n')}\n`;
}

function eventToJson(event: KeyEvent) {
  return {
    at: event.at,
    env: event.env,
    key: event.key,
    change: event.change,
    snapshot: event.snapshotId,
    type: event.type,
    sensitive: event.sensitive,
    // The store keeps no value for a secret: it is known only by its fingerprint.
    value: event.sensitive ? undefined : event.value,
    fingerprint: event.fingerprint === undefined ? undefined : shortFingerprint(event.fingerprint),
    origin: event.origin
      ? { file: event.origin.file, line: event.origin.line, column: event.origin.column }
      : undefined,
  };
}

/** What may be shown of the event's value, on one line. */
function shownValue(event: KeyEvent): string {
  return terminalValue(eventValue(event), MAX_VALUE_LENGTH);
}

function originOf(origin: NonNullable<KeyEvent['origin']>): string {
  return origin.line === undefined ? origin.file : `${origin.file}:${origin.line}`;
}

/** `2026-11-20 14:02` (UTC) from an ISO time. */
function timeOf(at: string): string {
  return `${at.slice(0, 10)} ${at.slice(11, 16)}`;
}
