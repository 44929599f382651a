import { alignSnapshots } from '../compare/matrix.js';
import { ConfigError, DriftwatchError, formatProblem, type Problem } from '../errors.js';
import type { ReferenceIndex, ScanProgress } from '../references/scan.js';
import { buildReport } from '../report/build-report.js';
import type { Finding, Report, RuleInfo, UncheckedDrift } from '../report/report.js';
import { unknownAllowedRules } from '../rules/allow.js';
import { markBaseline } from '../rules/baseline.js';
import { needsOf, runRules } from '../rules/engine.js';
import { ruleKinds } from '../rules/index.js';
import { BUILT_IN_PACK_PREFIX, type LoadedRule, loadRulePacks } from '../rules/load-packs.js';
import { MissingReferenceRule } from '../rules/missing-reference.js';
import type { ReferenceContext } from '../rules/rule.js';
import { scrubProblem } from '../snapshot/scrub.js';
import type { Snapshot } from '../snapshot/snapshot.js';
import { type CheckHistory, openCheckHistory, withoutStore } from './check-history.js';
import type { LiveSources, LiveSourceUse } from './live-sources.js';
import { placeInRepository } from './place-in-repository.js';
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
  /** Which sources are read (default: all); a channel that must not run or fetch anything takes stored snapshots instead. */
  readonly liveSources?: LiveSources;
  /** The code's reads, already scanned by the caller (a commit's files): then nothing is scanned on disk. */
  readonly referenceIndex?: ReferenceIndex;
  /** `false`: the history is neither read nor written (a pull request's head is not what is deployed). */
  readonly history?: false;
  /** What a pull request changes, for rules of kind `couple`; without it they are not checked, and a notice says so. */
  readonly changes?: { readonly files: readonly string[]; readonly base: readonly Snapshot[] };
  /** Put the key matrix in the report, for a view that shows it (the html report). */
  readonly matrix?: boolean;
}

export interface CheckRun {
  readonly report: Report;
  /** The check could not be completed: an unreadable or unparsable source, or a snapshot that shrank suspiciously. */
  readonly incomplete: boolean;
  /**
   * What loaded but deserves a word, whatever the format: an old spelling in a
   * rule pack, a rule that had nothing to compare in this run.
   */
  readonly notices: readonly Problem[];
  /**
   * What a person reading the text report should know that is not a finding:
   * a history rule of theirs with no history to read yet. Machine formats
   * leave it out.
   */
  readonly textNotices: readonly string[];
  /** The snapshots the rules ran over, in the config's order. */
  readonly snapshots: readonly Snapshot[];
  /** With `liveSources: stored`: where each source that was not read took its keys from. */
  readonly live: readonly LiveSourceUse[];
}

/** Every notice of a run as one line of text, secrets masked: for channels that show notices as prose. */
export function noticeLines(run: Pick<CheckRun, 'notices' | 'textNotices'>): string[] {
  return [...run.textNotices, ...run.notices.map((notice) => formatProblem(scrubProblem(notice)))];
}

/**
 * The check pipeline every channel calls: loads the rule packs, snapshots the
 * environments, runs the rules over them and builds the report. A source that
 * fails makes the run incomplete and yields no findings: rules over partial
 * data would be guesses.
 */
export async function runCheck(workspace: Workspace, options: CheckOptions = {}): Promise<CheckRun> {
  const { config } = workspace;
  const notices: Problem[] = [];
  const onNotice = (notice: Problem) => notices.push(notice);
  const all: LoadedRule[] = await loadRulePacks(config.rules, {
    files: workspace.rulePacks ?? workspace.files,
    environments: config.environments.map((environment) => environment.name),
    declaredIn: { file: config.displayName, dir: config.dir, positions: config.rulePositions },
    onNotice,
  });
  withBuiltInRules(all, config);
  const unknownRules = unknownAllowedRules(all, onNotice);
  if (unknownRules.length > 0) throw new ConfigError(unknownRules);
  const loaded = withoutUnmetChanges(all, options, onNotice);
  const needs = needsOf(loaded);
  const userHistoryRules = loaded.some(
    ({ rule, pack }) => ruleKinds.get(rule.kind)?.needs === 'history' && !pack.startsWith(BUILT_IN_PACK_PREFIX),
  );
  // Code that cannot be scanned or a history that cannot be opened fails the check closed, in the report.
  const setupProblems: Problem[] = [];
  const references = needs.has('references')
    ? await reportingFailure(() => referenceContext(workspace, loaded, options), 'references', setupProblems)
    : undefined;
  const history: CheckHistory =
    options.history === false
      ? historyLeftOut(needs.has('history'))
      : ((await reportingFailure(
          () =>
            openCheckHistory(workspace, {
              needsHistory: needs.has('history'),
              sayWhenEmpty: userHistoryRules,
              acceptShrink: options.acceptShrink,
            }),
          'history',
          setupProblems,
        )) ?? withoutStore);
  try {
    const now = options.now ?? new Date();
    const snapshotted = await snapshotEnvironments(workspace, options.env, options.liveSources);
    const snapshots = snapshotted.results.map((result) => result.snapshot);
    const readProblems = [...setupProblems, ...snapshotted.problems];
    // A snapshot that shrank sharply since the last stored one fails closed, like an unreadable source.
    const problems = readProblems.length > 0 ? readProblems : await history.shrinkProblems(snapshots);
    let findings: Finding[] = [];
    let rules: RuleInfo[] = [];
    let unchecked: UncheckedDrift | undefined;
    if (problems.length === 0) {
      ({ findings, rules, unchecked } = runRules(loaded, alignSnapshots(snapshots), {
        now,
        retiredKeys: config.retiredKeys,
        ...(references ? { references } : {}),
        ...(history.context ? { history: history.context } : {}),
        ...(options.changes
          ? { changes: { files: options.changes.files, base: alignSnapshots(options.changes.base) } }
          : {}),
      }));
      findings = await history.withFirstSeen(findings, now);
    }
    if (options.baseline) findings = markBaseline(findings, options.baseline);
    return {
      // Reports name files from the repository root: what SARIF, annotations and the JSON contract promise.
      report: placeInRepository(
        {
          ...buildReport(snapshots, findings, problems, rules, { matrix: options.matrix === true }),
          ...(unchecked ? { unchecked } : {}),
        },
        workspace,
        snapshots,
      ),
      incomplete: problems.length > 0,
      notices,
      textNotices: history.notices,
      snapshots,
      live: snapshotted.live,
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
 * Rules that compare a pull request's head with its base (`couple`) have
 * nothing to compare outside one: they are left out, and a notice says so,
 * rather than passing silently.
 */
function withoutUnmetChanges(
  all: readonly LoadedRule[],
  options: CheckOptions,
  onNotice: (notice: Problem) => void,
): LoadedRule[] {
  if (options.changes) return [...all];
  const loaded: LoadedRule[] = [];
  for (const entry of all) {
    if (ruleKinds.get(entry.rule.kind)?.needs !== 'changes') {
      loaded.push(entry);
      continue;
    }
    onNotice({
      file: entry.pack,
      line: entry.line,
      message: `rule '${entry.rule.id}' (${entry.rule.kind}) compares a pull request's changes with its base; outside a pull request it has nothing to compare and was not checked`,
    });
  }
  return loaded;
}

/** A check that must not touch the history: rules that need it see an empty one, and a notice says so. */
function historyLeftOut(needsHistory: boolean): CheckHistory {
  if (!needsHistory) return withoutStore;
  return {
    ...withoutStore,
    context: { removedKeys: new Map() },
    notices: ['history: not read for this check; rules of kind removed-elsewhere were not checked'],
  };
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
  if (options.referenceIndex) return { index: options.referenceIndex, mode: config.references.match };
  // The scanner (worker threads, file listing, ignore rules) loads only for a config that reads code.
  const { scanReferences } = await import('../references/scan.js');
  const index = await scanReferences({
    configDir: config.dir,
    config: config.references,
    ...(options.onScanProgress ? { onProgress: options.onScanProgress } : {}),
  });
  return { index, mode: config.references.match };
}
