import path from 'node:path';
import { runCheck } from '../check/run-check.js';
import type { Workspace } from '../check/workspace.js';
import { UsageError } from '../errors.js';
import { plural } from '../plural.js';
import { progressPrinter } from '../references/progress.js';
import { type FailOn, failsGate } from '../report/build-report.js';
import { REPORT_FORMATS, reporters } from '../report/index.js';
import type { Report, ReportFormat } from '../report/report.js';
import { readBaseline } from '../rules/baseline.js';
import { EXIT } from './exit-codes.js';
import { assertWritable, type Io, wantsColor, writeFileAtomic } from './io.js';
import { printNotices, printProblems } from './problems.js';
import { openWorkspace } from './workspace.js';

export interface CheckCommandOptions {
  readonly config?: string;
  readonly env?: readonly string[];
  /** `json`, or `sarif=driftwatch.sarif` to write that report to a file. Repeatable. */
  readonly format?: readonly string[];
  readonly output?: string;
  readonly failOn?: FailOn;
  readonly baseline?: string;
  /** For tests and reproducible runs: the date allowances are judged against. */
  readonly now?: Date;
  /** An environment that lost more than half its keys since its last stored snapshot is not an error. */
  readonly acceptShrink?: boolean;
}

interface Destination {
  readonly format: ReportFormat;
  /** Undefined: standard output. */
  readonly file?: string;
}

/** Parses `--format` and `--output` into where each report goes, before any source is read. */
export function destinationsOf(formats: readonly string[] | undefined, output: string | undefined): Destination[] {
  const requested = formats && formats.length > 0 ? formats : ['text'];
  const destinations = requested.map((spec): Destination => {
    const [format, file] = spec.includes('=')
      ? [spec.slice(0, spec.indexOf('=')), spec.slice(spec.indexOf('=') + 1)]
      : [spec];
    if (!REPORT_FORMATS.includes(format as ReportFormat)) {
      throw new UsageError(`unknown format '${format}'; expected one of ${REPORT_FORMATS.join(', ')}`);
    }
    if (file === '') throw new UsageError(`--format ${format}= needs a file name after '='`);
    return { format: format as ReportFormat, ...(file ? { file } : {}) };
  });
  const toStdout = destinations.filter((destination) => destination.file === undefined);
  if (output !== undefined) {
    if (toStdout.length !== 1) throw new UsageError('--output goes with exactly one --format that has no =FILE');
    return destinations.map((destination) =>
      destination.file === undefined ? { ...destination, file: output } : destination,
    );
  }
  if (toStdout.length > 1)
    throw new UsageError('only one report can go to standard output; give the others a file: --format sarif=out.sarif');
  return destinations;
}

/** `driftwatch check`: the pre-deploy gate. */
export async function checkCommand(options: CheckCommandOptions, io: Io): Promise<number> {
  const destinations = destinationsOf(options.format, options.output);
  for (const { file } of destinations) if (file !== undefined) await assertWritable(path.resolve(io.cwd, file), file);
  const workspace = await openWorkspace(options.config, io);
  const known = options.baseline
    ? await readBaseline(path.resolve(io.cwd, options.baseline), options.baseline)
    : undefined;
  const { report, incomplete, notices, textNotices } = await runCheck(workspace, {
    env: options.env,
    now: options.now,
    baseline: known,
    acceptShrink: options.acceptShrink,
    onScanProgress: progressPrinter(io.stderr, { env: io.env }),
    // Only the html report shows every key; other checks do not pay for holding them twice.
    matrix: destinations.some((destination) => destination.format === 'html'),
  });
  printNotices(io.stderr, notices);
  if (destinations.some((destination) => destination.format === 'text')) {
    for (const notice of textNotices) io.stderr.write(`${notice}\n`);
  }
  const forReader = filesFromCwd(report, workspace, io.cwd);

  for (const destination of destinations) {
    const color = destination.file === undefined && wantsColor(io.stdout, io.env);
    // Machines get paths from the repository root; a person gets paths they can open from where they are.
    const text = reporters[destination.format](destination.format === 'text' ? forReader : report, { color });
    if (destination.file === undefined) io.stdout.write(text);
    else await writeFileAtomic(path.resolve(io.cwd, destination.file), text, destination.file);
  }
  if (incomplete) {
    const shownOnStdout = destinations.some(
      (destination) => destination.file === undefined && destination.format === 'text',
    );
    if (!shownOnStdout) printProblems(io.stderr, forReader.errors);
    io.stderr.write(
      `driftwatch: the check could not be completed (${plural(report.errors.length, 'source problem')}); failing closed\n`,
    );
    return EXIT.FAILED;
  }
  return failsGate(report, options.failOn ?? 'error') ? EXIT.FINDINGS : EXIT.OK;
}

/**
 * The report with every repository file named relative to `cwd` rather than
 * to the repository root, for the text report: `config/app.yaml` when run in
 * `services/ledger`, `services/ledger/config/app.yaml` from the root.
 */
function filesFromCwd(report: Report, workspace: Workspace, cwd: string): Report {
  const depth = workspace.repositoryPrefix.split('/').filter((segment) => segment !== '').length;
  const root = path.resolve(workspace.config.dir, ...Array.from({ length: depth }, () => '..'));
  // A report names few files, each in many locations: each is resolved once.
  const resolved = new Map<string, string>();
  const fromCwd = (file: string) => {
    let relative = resolved.get(file);
    if (relative === undefined) {
      relative = path.relative(cwd, path.resolve(root, file)) || '.';
      resolved.set(file, relative);
    }
    return relative;
  };
  return {
    ...report,
    findings: report.findings.map((finding) => ({
      ...finding,
      locations: finding.locations.map((location) =>
        location.inRepository === true ? { ...location, file: fromCwd(location.file) } : location,
      ),
    })),
    errors: report.errors.map((error) =>
      error.inRepository === true && error.file !== undefined ? { ...error, file: fromCwd(error.file) } : error,
    ),
  };
}
