import path from 'node:path';
import { alignSnapshots } from '../compare/matrix.js';
import { ConfigError, DriftwatchError, type Problem, UsageError } from '../errors.js';
import { progressPrinter } from '../references/progress.js';
import { scanReferences } from '../references/scan.js';
import { buildReport, type FailOn, failsGate } from '../report/build-report.js';
import { REPORT_FORMATS, reporters } from '../report/index.js';
import type { Finding, Report, ReportFormat, RuleInfo } from '../report/report.js';
import { markBaseline, readBaseline } from '../rules/baseline.js';
import { needsOf, runRules } from '../rules/engine.js';
import { ruleKinds } from '../rules/index.js';
import { type LoadedRule, loadRulePacks } from '../rules/load-packs.js';
import { MissingReferenceRule } from '../rules/missing-reference.js';
import type { ReferenceContext } from '../rules/rule.js';
import { type CheckHistory, openCheckHistory, withoutStore } from './check-history.js';
import { EXIT } from './exit-codes.js';
import { type Io, wantsColor, writeFileAtomic } from './io.js';
import { printProblems } from './problems.js';
import { openWorkspace, snapshotEnvironments, type Workspace } from './workspace.js';

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

export interface CheckRun {
  readonly report: Report;
  /** The check could not be completed: an unreadable or unparsable source, or a snapshot that shrank suspiciously. */
  readonly incomplete: boolean;
}

/**
 * Snapshots the environments, runs the rule packs over them and builds the
 * report. A source that fails makes the run incomplete and yields no findings:
 * rules over partial data would be guesses.
 */
export async function runCheck(
  workspace: Workspace,
  options: { env?: readonly string[]; now?: Date; baseline?: ReadonlySet<string>; acceptShrink?: boolean },
): Promise<CheckRun> {
  const { config } = workspace;
  const loaded: LoadedRule[] = await loadRulePacks(config.rules, {
    configDir: config.dir,
    environments: config.environments.map((environment) => environment.name),
  });
  withBuiltInRules(loaded, config);
  const needs = needsOf(loaded);
  // Code that cannot be scanned or a history that cannot be opened fails the check closed, in the report.
  const setupProblems: Problem[] = [];
  const references = needs.has('references')
    ? await reportingFailure(() => referenceContext(workspace, loaded), 'references', setupProblems)
    : undefined;
  const history: CheckHistory =
    (await reportingFailure(
      () => openCheckHistory(workspace, { needsHistory: needs.has('history'), acceptShrink: options.acceptShrink }),
      'history',
      setupProblems,
    )) ?? withoutStore;
  try {
    const now = options.now ?? new Date();
    const snapshotted = await snapshotEnvironments(workspace, options.env);
    const snapshots = snapshotted.results.map((result) => result.snapshot);
    const readProblems = [...setupProblems, ...snapshotted.problems];
    // A snapshot that shrank sharply since the last stored one fails closed, like an unreadable source.
    const problems = readProblems.length > 0 ? readProblems : await history.shrinkProblems(snapshots);
    let findings: Finding[] = [];
    let rules: RuleInfo[] = [];
    if (problems.length === 0) {
      ({ findings, rules } = runRules(loaded, alignSnapshots(snapshots), {
        now,
        retiredKeys: config.retired,
        ...(references ? { references } : {}),
        ...(history.context ? { history: history.context } : {}),
      }));
      findings = await history.withFirstSeen(findings, now);
    }
    if (options.baseline) findings = markBaseline(findings, options.baseline);
    return { report: buildReport(snapshots, findings, problems, rules), incomplete: problems.length > 0 };
  } finally {
    await history.close();
  }
}

/**
 * Runs a step whose failure to read (a SourceError: the code tree, the history
 * database) belongs in the report rather than in a bare message: the report
 * then says why the check could not be completed, in the format asked for.
 */
async function reportingFailure<T>(
  step: () => Promise<T>,
  source: string,
  problems: Problem[],
): Promise<T | undefined> {
  try {
    return await step();
  } catch (error) {
    if (!(error instanceof DriftwatchError) || error.code !== 'SOURCE_ERROR') throw error;
    problems.push(...error.problems.map((problem) => ({ source, ...problem })));
    return undefined;
  }
}

/**
 * With a `references:` block, "the code reads a key an environment lacks" is
 * checked even when no pack asks for it: that is what the block is for.
 */
function withBuiltInRules(loaded: LoadedRule[], config: Workspace['config']): void {
  if (!config.references || loaded.some(({ rule }) => rule.kind === 'missing-reference')) return;
  const rule = MissingReferenceRule.parse({ id: 'read-but-missing', kind: 'missing-reference' });
  loaded.push({ rule, pack: 'driftwatch:built-in', line: 1 });
}

/** Scans the code named by `references:`; a rule that needs it without that block is a config error. */
async function referenceContext(workspace: Workspace, loaded: readonly LoadedRule[]): Promise<ReferenceContext> {
  const { config } = workspace;
  if (!config.references) {
    const needing = loaded.filter(({ rule }) => ruleKinds.get(rule.kind)?.needs === 'references');
    throw new ConfigError(
      needing.map(({ rule, pack, line }) => ({
        file: pack,
        line,
        message: `rule '${rule.id}' (${rule.kind}) needs a 'references:' block in driftwatch.yaml saying where the code is`,
      })),
    );
  }
  const index = await scanReferences({
    configDir: config.dir,
    config: config.references,
    onProgress: progressPrinter(workspace.io.stderr, { env: workspace.io.env }),
  });
  return { index, mode: config.references.match };
}

/** `driftwatch check`: the pre-deploy gate. */
export async function checkCommand(options: CheckCommandOptions, io: Io): Promise<number> {
  const destinations = destinationsOf(options.format, options.output);
  const workspace = await openWorkspace(options.config, io);
  const known = options.baseline
    ? await readBaseline(path.resolve(io.cwd, options.baseline), options.baseline)
    : undefined;
  const { report, incomplete } = await runCheck(workspace, {
    env: options.env,
    now: options.now,
    baseline: known,
    acceptShrink: options.acceptShrink,
  });

  for (const destination of destinations) {
    const color = destination.file === undefined && wantsColor(io.stdout, io.env);
    const text = reporters[destination.format](report, { color });
    if (destination.file === undefined) io.stdout.write(text);
    else await writeFileAtomic(path.resolve(io.cwd, destination.file), text);
  }
  if (incomplete) {
    const shownOnStdout = destinations.some(
      (destination) => destination.file === undefined && destination.format === 'text',
    );
    if (!shownOnStdout) printProblems(io.stderr, report.errors);
    io.stderr.write(
      `driftwatch: the check could not be completed (${report.errors.length} source problem(s)); failing closed\n`,
    );
    return EXIT.FAILED;
  }
  return failsGate(report, options.failOn ?? 'error') ? EXIT.FINDINGS : EXIT.OK;
}
