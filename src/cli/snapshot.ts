import { snapshotEnvironments } from '../check/snapshot-environments.js';
import { type StoreSnapshotsResult, storeSnapshots } from '../check/store-snapshots.js';
import { UsageError } from '../errors.js';
import { plural } from '../plural.js';
import { terminalSafe } from '../report/terminal-safe.js';
import { terminalValue } from '../report/terminal-value.js';
import { displayOrigin, displayValue } from '../snapshot/display.js';
import type { Snapshot } from '../snapshot/snapshot.js';
import { EXIT } from './exit-codes.js';
import type { Io } from './io.js';
import { printProblems, problemToJson } from './problems.js';
import { openWorkspace } from './workspace.js';

export interface SnapshotCommandOptions {
  readonly config?: string;
  readonly env?: string;
  readonly all?: boolean;
  readonly format?: 'text' | 'json';
  /** Record the snapshots in the history instead of printing them. */
  readonly store?: boolean;
  /** With `store`: store an environment that shrank suspiciously all the same. */
  readonly acceptShrink?: boolean;
  /** With `store`: the moment retention is judged against. */
  readonly now?: Date;
}

/**
 * `driftwatch snapshot`: one environment's (or every environment's) merged,
 * redacted configuration; with `--store`, recorded in the history instead.
 */
export async function snapshotCommand(options: SnapshotCommandOptions, io: Io): Promise<number> {
  if (!options.all && !options.env) throw new UsageError('name an environment with --env NAME, or pass --all');
  if (options.all && options.env) throw new UsageError('--env and --all exclude each other');
  if (options.acceptShrink && !options.store) throw new UsageError('--accept-shrink goes with --store');
  const workspace = await openWorkspace(options.config, io);
  const { results, problems } = await snapshotEnvironments(
    workspace,
    options.all ? undefined : [options.env as string],
  );
  const snapshots = results.map((result) => result.snapshot);

  if (options.store) {
    if (problems.length > 0) {
      printProblems(io.stderr, problems);
      io.stderr.write(
        `driftwatch: nothing stored: ${plural(problems.length, 'source problem')}; history keeps only complete snapshots\n`,
      );
      return EXIT.FAILED;
    }
    const stored = await storeSnapshots(workspace, snapshots, { acceptShrink: options.acceptShrink, now: options.now });
    return printStored(stored, io);
  }

  if (options.format === 'json') {
    const document = { version: 1, snapshots: snapshots.map(snapshotToJson), errors: problems.map(problemToJson) };
    io.stdout.write(`${JSON.stringify(document, null, 2)}\n`);
  } else {
    io.stdout.write(snapshots.map(snapshotToText).join('\n'));
  }
  printProblems(io.stderr, problems);
  return problems.length > 0 ? EXIT.FAILED : EXIT.OK;
}

/** `snapshot --store`: one line per environment, then what retention pruned; refusals fail closed. */
function printStored(result: StoreSnapshotsResult, io: Io): number {
  let refused = 0;
  for (const outcome of result.outcomes) {
    const keys = plural(outcome.keys, 'key');
    if (outcome.status === 'refused') {
      printProblems(io.stderr, [{ env: outcome.env, message: `not stored: ${outcome.reason}` }]);
      refused++;
    } else if (outcome.status === 'stored') {
      io.stdout.write(`stored ${outcome.env}: ${keys} (snapshot ${outcome.snapshotId})\n`);
    } else {
      io.stdout.write(`unchanged ${outcome.env}: ${keys} (same as snapshot ${outcome.snapshotId})\n`);
    }
  }
  if (result.pruned > 0) {
    io.stdout.write(`pruned ${plural(result.pruned, 'snapshot')} older than ${plural(result.keepDays, 'day')}\n`);
  }
  if (refused === 0) return EXIT.OK;
  io.stderr.write(`driftwatch: ${plural(refused, 'environment')} not stored; failing closed\n`);
  return EXIT.FAILED;
}

export function snapshotToJson(snapshot: Snapshot) {
  return {
    env: snapshot.env,
    takenAt: snapshot.takenAt,
    keys: snapshot.entries.size,
    sources: snapshot.sources,
    entries: [...snapshot.entries.values()].map((entry) => ({
      key: entry.key,
      type: entry.type,
      ...(entry.value !== undefined ? { value: entry.value } : {}),
      fingerprint: entry.fingerprint,
      sensitive: entry.sensitive,
      ...(entry.sensitiveReason ? { sensitiveReason: entry.sensitiveReason } : {}),
      ...(entry.tag ? { tag: entry.tag } : {}),
      origin: entry.origin,
    })),
  };
}

function snapshotToText(snapshot: Snapshot): string {
  const lines = [`# ${snapshot.env}: ${plural(snapshot.entries.size, 'key')} (taken ${snapshot.takenAt})`];
  for (const source of snapshot.sources) {
    const read = `${plural(source.documents.length, 'document')}, ${plural(source.keys, 'key')}`;
    lines.push(`#   ${source.status === 'ok' ? 'ok   ' : 'ERROR'} ${terminalSafe(source.source)} (${read})`);
  }
  for (const entry of snapshot.entries.values()) {
    const secret = entry.sensitive ? `  [secret: ${entry.sensitiveReason}]` : '';
    lines.push(
      `${terminalSafe(entry.key)} = ${terminalValue(displayValue(entry))}${secret}  # ${terminalSafe(displayOrigin(entry))}`,
    );
  }
  return `${lines.join('\n')}\n`;
}
