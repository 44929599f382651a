import { snapshotEnvironments } from '../check/snapshot-environments.js';
import { compareCodeUnits } from '../compare-code-units.js';
import { UsageError } from '../errors.js';
import { plural } from '../plural.js';
import { referencesByKey } from '../references/match.js';
import { missingKeys } from '../references/missing-keys.js';
import { progressPrinter } from '../references/progress.js';
import { type ReferenceIndex, type ReferenceSite, scanReferences } from '../references/scan.js';
import { terminalSafe } from '../report/terminal-safe.js';
import { EXIT } from './exit-codes.js';
import type { Io } from './io.js';
import { printProblems, problemToJson } from './problems.js';
import { openWorkspace } from './workspace.js';

export interface RefsCommandOptions {
  readonly config?: string;
  readonly format?: 'text' | 'json';
}

/** One row of the table: a configured key or a name the code reads, or both. */
export interface RefsRow {
  readonly key: string;
  readonly reads: readonly ReferenceSite[];
  /** Environments that define the key; empty for a name the code reads that no environment configures. */
  readonly envs: readonly string[];
}

/** Every configured key and every name the code reads, with where it is read and which environments define it. */
export function refsTable(
  envKeys: ReadonlyMap<string, readonly string[]>,
  index: ReferenceIndex,
  mode: 'exact' | 'relaxed',
): RefsRow[] {
  const definedIn = new Map<string, string[]>();
  for (const [env, keys] of envKeys) {
    for (const key of keys) definedIn.set(key, [...(definedIn.get(key) ?? []), env]);
  }
  const rows: RefsRow[] = [];
  for (const [key, reads] of referencesByKey(definedIn.keys(), index.references, mode)) {
    rows.push({ key, reads, envs: definedIn.get(key) ?? [] });
  }
  // Names no environment configures: `missingKeys` against the union of all keys.
  for (const missing of missingKeys(new Map([['any', [...definedIn.keys()]]]), index, mode)) {
    rows.push({ key: missing.key, reads: missing.sites, envs: [] });
  }
  return rows.sort((a, b) => compareCodeUnits(a.key, b.key));
}

/** `driftwatch refs`: the table a person wants when cleaning up configuration. */
export async function refsCommand(options: RefsCommandOptions, io: Io): Promise<number> {
  const workspace = await openWorkspace(options.config, io);
  const { config } = workspace;
  if (!config.references) {
    throw new UsageError(
      `${config.file}: add a 'references:' block (e.g. references: {include: [src/**]}) so driftwatch knows where the code is`,
    );
  }
  const index = await scanReferences({
    configDir: config.dir,
    config: config.references,
    onProgress: progressPrinter(io.stderr, { env: io.env }),
  });
  const { results, problems } = await snapshotEnvironments(workspace);
  if (problems.length > 0) {
    printProblems(io.stderr, problems);
    if (options.format === 'json')
      io.stdout.write(`${JSON.stringify({ version: 1, errors: problems.map(problemToJson) }, null, 2)}\n`);
    return EXIT.FAILED;
  }
  const envKeys = new Map(results.map((result) => [result.snapshot.env, [...result.snapshot.entries.keys()]]));
  const rows = refsTable(envKeys, index, config.references.match);

  if (options.format === 'json') {
    const document = {
      version: 1,
      environments: [...envKeys.keys()],
      keys: rows.map((row) => ({
        key: row.key,
        envs: row.envs,
        reads: row.reads.map(({ file, line, column, style }) => ({ file, line, column, style })),
      })),
      unresolvable: index.unresolvable,
      scan: { files: index.files, bytes: index.bytes, skipped: index.skipped },
    };
    io.stdout.write(`${JSON.stringify(document, null, 2)}\n`);
    return EXIT.OK;
  }
  io.stdout.write(refsText(rows, index, [...envKeys.keys()]));
  return EXIT.OK;
}

function refsText(rows: readonly RefsRow[], index: ReferenceIndex, envs: readonly string[]): string {
  const readAt = (row: RefsRow) => {
    if (row.reads.length === 0) return 'nothing reads it';
    const first = row.reads[0] as ReferenceSite;
    const more = row.reads.length > 1 ? ` (+${row.reads.length - 1} more)` : '';
    return terminalSafe(`${first.file}:${first.line}${more}`);
  };
  const definedIn = (row: RefsRow) =>
    row.envs.length === 0 ? 'no environment' : row.envs.length === envs.length ? 'all' : row.envs.join(', ');
  const table = [
    ['KEY', 'READ AT', 'DEFINED IN'],
    ...rows.map((row) => [terminalSafe(row.key), readAt(row), definedIn(row)]),
  ];
  const widths = [0, 1].map((column) => Math.max(...table.map((cells) => (cells[column] as string).length)));
  const lines = table.map(([key, at, defined]) =>
    `${(key as string).padEnd(widths[0] as number)}  ${(at as string).padEnd(widths[1] as number)}  ${defined}`.trimEnd(),
  );
  const stale = rows.filter((row) => row.reads.length === 0).length;
  const unconfigured = rows.filter((row) => row.envs.length === 0).length;
  const { binary, minified, unreadable, tooLarge } = index.skipped;
  lines.push(
    '',
    `${plural(rows.length, 'key')}: ${stale} read by no code, ${unconfigured} read but configured nowhere.`,
    `Scanned ${plural(index.files, 'file')} (${(index.bytes / 1e6).toFixed(1)} MB); skipped ${binary} binary, ${minified} minified, ${tooLarge} too large, ${unreadable} unreadable.`,
  );
  if (index.unresolvable.length > 0) {
    lines.push(
      `${plural(index.unresolvable.length, 'read')} ${index.unresolvable.length === 1 ? 'names its' : 'name their'} key at run time; the scanner cannot see which:`,
    );
    for (const site of index.unresolvable) lines.push(terminalSafe(`  ${site.file}:${site.line}  ${site.snippet}`));
  }
  return `${lines.join('\n')}\n`;
}
