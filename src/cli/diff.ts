import { styleText } from 'node:util';
import { snapshotEnvironments } from '../check/snapshot-environments.js';
import { type Drift, type DriftKind, diffSnapshots } from '../compare/diff.js';
import { orderDifference } from '../compare/list-order.js';
import { UsageError } from '../errors.js';
import { plural } from '../plural.js';
import { terminalSafe } from '../report/terminal-safe.js';
import { terminalValue } from '../report/terminal-value.js';
import { displayOrigin, displayValue } from '../snapshot/display.js';
import { shortFingerprint } from '../snapshot/fingerprint.js';
import type { Entry, Snapshot } from '../snapshot/snapshot.js';
import { EXIT } from './exit-codes.js';
import { type Io, wantsColor } from './io.js';
import { printProblems, problemToJson } from './problems.js';
import { openWorkspace } from './workspace.js';

export interface DiffCommandOptions {
  readonly config?: string;
  readonly format?: 'text' | 'json';
  /** Like `git diff --exit-code`: exit 1 when the environments differ. */
  readonly exitCode?: boolean;
}

/** `driftwatch diff A B`: what one environment has that the other lacks, and what differs. */
export async function diffCommand(envA: string, envB: string, options: DiffCommandOptions, io: Io): Promise<number> {
  if (envA === envB) throw new UsageError(`compare two different environments (got '${envA}' twice)`);
  const workspace = await openWorkspace(options.config, io);
  const { results, problems } = await snapshotEnvironments(workspace, [envA, envB]);
  const [a, b] = results.map((result) => result.snapshot) as [Snapshot, Snapshot];
  const drifts = problems.length > 0 ? [] : diffSnapshots(a, b);

  if (options.format === 'json') {
    io.stdout.write(`${JSON.stringify(diffToJson(a, b, drifts, problems), null, 2)}\n`);
  } else if (problems.length === 0) {
    io.stdout.write(diffToText(a, b, drifts, wantsColor(io.stdout, io.env)));
  }
  if (problems.length > 0) {
    printProblems(io.stderr, problems);
    io.stderr.write(
      `driftwatch: cannot compare ${envA} and ${envB}: ${plural(problems.length, 'source problem')} above\n`,
    );
    return EXIT.FAILED;
  }
  return options.exitCode && drifts.length > 0 ? EXIT.FINDINGS : EXIT.OK;
}

function side(entry: Entry | undefined) {
  if (!entry) return undefined;
  return {
    value: displayValue(entry),
    type: entry.type,
    sensitive: entry.sensitive,
    fingerprint: shortFingerprint(entry.fingerprint),
    file: entry.origin.file,
    ...(entry.origin.line !== undefined ? { line: entry.origin.line } : {}),
  };
}

function countKinds(drifts: readonly Drift[]): Record<DriftKind, number> {
  const counts: Record<DriftKind, number> = {
    'only-in-a': 0,
    'only-in-b': 0,
    changed: 0,
    'type-changed': 0,
    reordered: 0,
  };
  for (const drift of drifts) counts[drift.kind]++;
  return counts;
}

export function diffToJson(
  a: Snapshot,
  b: Snapshot,
  drifts: readonly Drift[],
  problems: readonly Parameters<typeof problemToJson>[0][],
) {
  const counts = countKinds(drifts);
  return {
    version: 1,
    a: { name: a.env, keys: a.entries.size },
    b: { name: b.env, keys: b.entries.size },
    drifts: drifts.map((drift) =>
      drift.order
        ? { key: drift.key, kind: drift.kind, a: { order: [...drift.order.a] }, b: { order: [...drift.order.b] } }
        : { key: drift.key, kind: drift.kind, a: side(drift.a), b: side(drift.b) },
    ),
    errors: problems.map(problemToJson),
    summary: {
      onlyInA: counts['only-in-a'],
      onlyInB: counts['only-in-b'],
      changed: counts.changed,
      typeChanged: counts['type-changed'],
      reordered: counts.reordered,
    },
  };
}

export function diffToText(a: Snapshot, b: Snapshot, drifts: readonly Drift[], color: boolean): string {
  const paint = (style: Parameters<typeof styleText>[0], text: string) => (color ? styleText(style, text) : text);
  const counts = countKinds(drifts);
  const lines: string[] = [];
  const heading = `${a.env} (${plural(a.entries.size, 'key')}) vs ${b.env} (${plural(b.entries.size, 'key')})`;
  if (drifts.length === 0) return `${heading}: no differences.\n`;
  lines.push(
    `${heading}: ${counts['only-in-a']} only in ${a.env}, ${counts['only-in-b']} only in ${b.env}, ` +
      `${counts.changed + counts['type-changed']} changed` +
      (counts.reordered > 0 ? `, ${counts.reordered} reordered` : ''),
  );
  const width = Math.max(a.env.length, b.env.length) + 1;
  const describe = (name: string, entry: Entry) =>
    `    ${`${name}:`.padEnd(width)} ${terminalValue(displayValue(entry))} ${paint('dim', `(${entry.type}) ${terminalSafe(displayOrigin(entry))}`)}`;

  const sections: [DriftKind[], string, string, Parameters<typeof styleText>[0]][] = [
    [['only-in-a'], `Only in ${a.env}`, '-', 'red'],
    [['only-in-b'], `Only in ${b.env}`, '+', 'green'],
    [['changed', 'type-changed'], 'Changed', '~', 'yellow'],
    [['reordered'], 'Reordered', '↕', 'yellow'],
  ];
  for (const [kinds, title, mark, style] of sections) {
    const selected = drifts.filter((drift) => kinds.includes(drift.kind));
    if (selected.length === 0) continue;
    lines.push('', paint('bold', `${title} (${selected.length})`));
    for (const drift of selected) {
      const note = drift.kind === 'type-changed' ? paint('dim', '  (type changed)') : '';
      lines.push(`  ${paint(style, mark)} ${terminalSafe(drift.key)}${note}`);
      if (drift.a) lines.push(describe(a.env, drift.a));
      if (drift.b) lines.push(describe(b.env, drift.b));
      if (drift.order) {
        const [orderA, orderB] = orderDifference([drift.order.a, drift.order.b]);
        lines.push(`    ${`${a.env}:`.padEnd(width)} ${orderA}`, `    ${`${b.env}:`.padEnd(width)} ${orderB}`);
      }
    }
  }
  return `${lines.join('\n')}\n`;
}
