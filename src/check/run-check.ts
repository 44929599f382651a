import { alignSnapshots } from '../compare/matrix.js';
import { ConfigError, DriftwatchError, type Problem } from '../errors.js';
import type { ScanProgress } from '../references/scan.js';
import { buildReport } from '../report/build-report.js';
import type { Finding, Report, RuleInfo } from '../report/report.js';
import { markBaseline } from '../rules/baseline.js';
import { needsOf, runRules } from '../rules/engine.js';
import { ruleKinds } from '../rules/index.js';
import { type LoadedRule, loadRulePacks } from '../rules/load-packs.js';
import { MissingReferenceRule } from '../rules/missing-reference.js';
import type { ReferenceContext } from '../rules/rule.js';
import { type CheckHistory, openCheckHistory, withoutStore } from './check-history.js';
import { snapshotEnvironments } from './snapshot-environments.js';
import type { Workspace } from './workspace.js';

export interface CheckOptions {
  /** Only these environments (default: all). */
  readonly env?: readonly string[];
  /** The date allowances and history are judged against. */
  readonly now?: Date;
  /** Ids of known findings: reported, marked, and not counted. */
  readonly baseline?: ReadonlySet<string>;
  /** An environment that lost more than half its keys since its last stored snapshot is not an error. */
  readonly acceptShrink?: boolean;
  /** Called while the code is scanned for references (the CLI draws a progress line on a terminal). */
  readonly onScanProgress?: (progress: ScanProgress) => void;
}

export interface CheckRun {
  readonly report: Report;
  /** The check could not be completed: an unreadable or unparsable source, or a snapshot that shrank suspiciously. */
  readonly incomplete: boolean;
  /** What the reader should know that is not a finding (history that does not exist yet). */
  readonly notices: readonly string[];
}

/**
 * The check pipeline every channel calls: loads the rule packs, snapshots the
 * environments, runs the rules over them and builds the report. A source that
 * fails makes the run incomplete and yields no findings: rules over partial
 * data would be guesses.
 */
export async function runCheck(workspace: Workspace, options: CheckOptions = {}): Promise<CheckRun> {
  const { config } = workspace;
  const loaded: LoadedRule[] = await loadRulePacks(config.rules, {
    files: workspace.files,
    environments: config.environments.map((environment) => environment.name),
  });
  withBuiltInRules(loaded, config);
  const needs = needsOf(loaded);
  // Code that cannot be scanned or a history that cannot be opened fails the check closed, in the report.
  const setupProblems: Problem[] = [];
  const references = needs.has('references')
    ? await reportingFailure(() => referenceContext(workspace, loaded, options), 'references', setupProblems)
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
    return {
      report: buildReport(snapshots, findings, problems, rules),
      incomplete: problems.length > 0,
      notices: history.notices,
    };
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
async function referenceContext(
  workspace: Workspace,
  loaded: readonly LoadedRule[],
  options: CheckOptions,
): Promise<ReferenceContext> {
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
  // The scanner (worker threads, file listing, ignore rules) loads only for a config that reads code.
  const { scanReferences } = await import('../references/scan.js');
  const index = await scanReferences({
    configDir: config.dir,
    config: config.references,
    ...(options.onScanProgress ? { onProgress: options.onScanProgress } : {}),
  });
  return { index, mode: config.references.match };
}
