import path from 'node:path';
import picomatch from 'picomatch';
import { isDynamicPattern } from 'tinyglobby';
import type { LiveSourceUse } from '../check/live-sources.js';
import { type CheckRun, noticeLines, runCheck } from '../check/run-check.js';
import { openTreeWorkspace, type Workspace } from '../check/workspace.js';
import { compareCodeUnits } from '../compare-code-units.js';
import type { Config } from '../config/load.js';
import { DriftwatchError } from '../errors.js';
import { referencesByKey } from '../references/match.js';
import type { ReferenceIndex, ReferenceSite } from '../references/scan.js';
import type { Finding, FindingLocation, ReportError, Severity } from '../report/report.js';
import { sameValue } from '../snapshot/same-value.js';
import type { Entry, Snapshot } from '../snapshot/snapshot.js';
import type { ChangedFiles, CheckConclusion } from './platform.js';
import { type ScanCache, type ScannableTree, scanCommit } from './scan-commit.js';

/** One commit's files, rooted at the directory of driftwatch.yaml. */
export interface AnalysedTree extends ScannableTree {
  /** The repository-relative path of a file relative to the root; undefined when it would leave the repository. */
  repositoryPath(file: string): string | undefined;
}

/** Everything the analysis reads. Given the same facts, it gives the same analysis: tests replay it. */
export interface PullRequestFacts {
  readonly number: number;
  readonly headSha: string;
  readonly baseSha: string;
  readonly changedFiles: ChangedFiles;
  /** Both rooted at the directory of driftwatch.yaml. */
  readonly base: AnalysedTree;
  readonly head: AnalysedTree;
  /** The latest stored snapshot of an environment, for its sources a pull request must not make us read. */
  readonly storedSnapshot: (env: string) => Promise<Snapshot | undefined>;
}

export interface AnalysisOptions {
  /** driftwatch.yaml's repository-relative path: `driftwatch.yaml`, or `services/api/driftwatch.yaml`. */
  readonly configFile: string;
  readonly fingerprintKey: Buffer;
  readonly now: Date;
  /** Above this many code files in a commit, only the changed files are scanned, and stale keys are not checked. */
  readonly maxScanFiles: number;
  readonly scanCache?: ScanCache;
}

/** A repository-relative place in the code or in a config file. */
export interface Place {
  readonly file: string;
  readonly line?: number;
  readonly column?: number;
}

/** The changed code reads a key that environments lack. */
export interface MissingRead {
  readonly key: string;
  readonly envs: readonly string[];
  /** The reads in files this pull request changed. */
  readonly sites: readonly Place[];
  readonly severity: Severity;
  /** Every read has a default (`process.env.X ?? 'x'`). */
  readonly hasDefault: boolean;
}

export type KeyChange = 'added' | 'changed' | 'removed';

/** Config this pull request adds, changes or removes in some environments and not in others. */
export interface OneSidedChange {
  readonly key: string;
  readonly changes: readonly { readonly env: string; readonly change: KeyChange; readonly at?: Place }[];
  /** Environments where the key is as it was on the base. */
  readonly untouched: readonly string[];
}

/** A key whose last read in the code this pull request removes, still set somewhere. */
export interface StaleKey {
  readonly key: string;
  /** Where the base read it. */
  readonly lastReads: readonly Place[];
  readonly heldIn: readonly { readonly env: string; readonly at?: Place }[];
}

export interface AnalysedPullRequest {
  readonly kind: 'analysed';
  readonly number: number;
  readonly headSha: string;
  readonly baseSha: string;
  readonly configFile: string;
  readonly conclusion: CheckConclusion;
  /** Files of driftwatch's own config (driftwatch.yaml, rule packs) the pull request changes: analysed with the base's. */
  readonly configChanged: readonly string[];
  /** Why the head (or the base) could not be checked completely: no findings are compared then. */
  readonly headErrors: readonly ReportError[];
  readonly baseErrors: readonly ReportError[];
  readonly missingReads: readonly MissingRead[];
  readonly oneSided: readonly OneSidedChange[];
  readonly stale: readonly StaleKey[];
  /** Findings of `couple` rules: code changed, required config did not. */
  readonly couples: readonly Finding[];
  /** Other findings the head has and the base had not. */
  readonly introduced: readonly Finding[];
  /** Findings the base had and the head has not. */
  readonly fixed: readonly Finding[];
  /** Findings both have: the backlog, not this pull request's doing. */
  readonly unchanged: number;
  /** Where each source that was not read (url, command, env, git) took its keys from. */
  readonly live: readonly LiveSourceUse[];
  readonly environments: readonly { readonly name: string; readonly keys: number }[];
  /** What the reader should know that is not a finding: a partial scan, rules not checked. */
  readonly notices: readonly string[];
  /** The pull request lists more files than GitHub returns (3,000). */
  readonly filesTruncated: boolean;
}

export type PullRequestAnalysis =
  | AnalysedPullRequest
  /** Neither commit has driftwatch.yaml (the repository does not use driftwatch), or only the head adds it. */
  | {
      readonly kind: 'no-config';
      readonly number: number;
      readonly headSha: string;
      readonly baseSha: string;
      readonly configFile: string;
      readonly addedByHead: boolean;
    }
  /** The base's driftwatch.yaml or a rule pack is invalid: nothing can be checked until it is fixed. */
  | {
      readonly kind: 'config-invalid';
      readonly number: number;
      readonly headSha: string;
      readonly baseSha: string;
      readonly configFile: string;
      readonly problems: readonly ReportError[];
      readonly configChanged: readonly string[];
    };

/**
 * Analyses a pull request from what was read: the base commit's config and
 * rule packs (never the head's), both commits' `path` sources and code,
 * stored snapshots for every other source, and the files it changes.
 */
export async function analyzePullRequest(
  facts: PullRequestFacts,
  options: AnalysisOptions,
): Promise<PullRequestAnalysis> {
  const { configFile } = options;
  const root = path.posix.dirname(configFile) === '.' ? '' : path.posix.dirname(configFile);
  const configName = path.posix.basename(configFile);
  const ids = { number: facts.number, headSha: facts.headSha, baseSha: facts.baseSha, configFile };
  const changed = changedPaths(facts.changedFiles, root);

  if (!facts.base.files().includes(configName)) {
    return { kind: 'no-config', ...ids, addedByHead: facts.head.files().includes(configName) };
  }
  let workspace: Workspace;
  try {
    workspace = await openTreeWorkspace({
      files: facts.base,
      configFile: configName,
      dir: `#${facts.number}@${facts.baseSha.slice(0, 7)}`,
      fingerprintKey: options.fingerprintKey,
      // The service's own environment is never a source of a pull request's check.
      env: {},
    });
  } catch (error) {
    return invalid(error, ids, configChanged(changed, configName, undefined));
  }
  const { config } = workspace;
  const changedConfig = configChanged(changed, configName, config);

  const stored = new Map<string, Snapshot>();
  for (const environment of config.environments) {
    if (environment.sources.every((source) => source.kind === 'path')) continue;
    const snapshot = await facts.storedSnapshot(environment.name);
    if (snapshot) stored.set(environment.name, snapshot);
  }
  const liveSources = { mode: 'stored', snapshots: stored } as const;

  const notices: string[] = [];
  await prefetchConfigFiles(config, [facts.base, facts.head]);
  const code = await scanBoth(facts, config, changed, options, notices);

  let baseRun: CheckRun;
  let headRun: CheckRun;
  try {
    baseRun = await runCheck(workspace, {
      now: options.now,
      liveSources,
      history: false,
      ...(code ? { referenceIndex: code.base } : {}),
    });
    const baseComplete = !baseRun.incomplete;
    headRun = await runCheck(
      // The base's config and rule packs; the head's files.
      { ...workspace, files: facts.head, rulePacks: facts.base },
      {
        now: options.now,
        liveSources,
        history: false,
        ...(code ? { referenceIndex: code.head } : {}),
        ...(baseComplete ? { changes: { files: changed.all, base: baseRun.snapshots } } : {}),
      },
    );
  } catch (error) {
    return invalid(error, ids, changedConfig);
  }
  notices.push(...noticeLines(headRun));

  const place = placeIn(facts);
  const comparable = !baseRun.incomplete && !headRun.incomplete;
  const partialScan = code !== undefined && !code.complete;
  // Over a partial scan, every key read only in unscanned files would look stale.
  const usable = (finding: Finding) => !(partialScan && finding.kind === 'referenced');
  const headFindings = headRun.report.findings.filter(usable).map((finding) => withPlaces(finding, place));
  const baseFindings = baseRun.report.findings.filter(usable).map((finding) => withPlaces(finding, place));
  const baseIds = new Set(baseFindings.map((finding) => finding.id));
  const headIds = new Set(headFindings.map((finding) => finding.id));
  const introducedAll = comparable ? headFindings.filter((finding) => !baseIds.has(finding.id)) : headFindings;
  const fixed = comparable ? baseFindings.filter((finding) => !headIds.has(finding.id)) : [];
  const unchanged = comparable ? headFindings.length - introducedAll.length : 0;

  const changedHead = new Set(changed.head.map((file) => place.path(file)));
  const missingReads = missingReadsOf(introducedAll, changedHead);
  const missingIds = new Set(missingReads.flatMap((read) => read.findingIds));
  const stale =
    code?.complete && comparable && config.references
      ? staleKeys(headRun.snapshots, code.base, code.head, config.references.match, place)
      : [];
  const staleNames = new Set(stale.map((key) => key.key));
  const couples = introducedAll.filter((finding) => finding.kind === 'couple');
  const introduced = introducedAll.filter(
    (finding) =>
      finding.kind !== 'couple' &&
      !missingIds.has(finding.id) &&
      !(finding.kind === 'referenced' && staleNames.has(finding.key)),
  );
  const oneSided = comparable ? oneSidedChanges(baseRun.snapshots, headRun.snapshots, place) : [];

  const analysis: Omit<AnalysedPullRequest, 'conclusion'> = {
    kind: 'analysed',
    ...ids,
    configChanged: changedConfig,
    headErrors: headRun.report.errors,
    baseErrors: baseRun.report.errors,
    missingReads: missingReads.map(({ findingIds: _ids, ...read }) => read),
    oneSided,
    stale,
    couples,
    introduced,
    fixed,
    unchanged,
    live: headRun.live,
    environments: headRun.report.environments.map(({ name, keys }) => ({ name, keys })),
    notices,
    filesTruncated: facts.changedFiles.truncated,
  };
  return { ...analysis, conclusion: conclusionOf(analysis) };
}

/** Passing, failing, or passing with something left unchecked. */
function conclusionOf(analysis: Omit<AnalysedPullRequest, 'conclusion'>): CheckConclusion {
  if (analysis.headErrors.length > 0) return 'failure';
  const errors = [
    ...analysis.introduced.map((finding) => finding.severity),
    ...analysis.couples.map((finding) => finding.severity),
    ...analysis.missingReads.map((read) => read.severity),
  ];
  if (errors.includes('error')) return 'failure';
  const unchecked = analysis.live.some((use) => use.storedAt === undefined);
  if (unchecked || analysis.baseErrors.length > 0 || analysis.filesTruncated) return 'neutral';
  return 'success';
}

interface ChangedPaths {
  /** Relative to the config's directory: every path touched (old and new names). */
  readonly all: string[];
  /** Files the head has that the pull request changed (added, modified, renamed to). */
  readonly head: string[];
  /** Files the base had that the pull request changed (modified, removed, renamed from). */
  readonly base: string[];
  /** Repository-relative, every path touched. */
  readonly repository: string[];
}

function changedPaths(changed: ChangedFiles, root: string): ChangedPaths {
  const relative = (file: string) => (root === '' ? file : path.posix.relative(root, file));
  const head: string[] = [];
  const base: string[] = [];
  const repository: string[] = [];
  for (const file of changed.files) {
    repository.push(file.path);
    if (file.previousPath) repository.push(file.previousPath);
    if (file.status !== 'removed') head.push(relative(file.path));
    if (file.status !== 'added' && file.status !== 'copied') base.push(relative(file.previousPath ?? file.path));
    if (file.status === 'renamed' && file.previousPath) base.push(relative(file.previousPath));
  }
  const all = [...new Set([...head, ...base])].sort();
  return { all, head: [...new Set(head)].sort(), base: [...new Set(base)].sort(), repository };
}

/** driftwatch.yaml and the rule packs of the base config that the pull request touches (added packs too). */
function configChanged(changed: ChangedPaths, configName: string, config: Config | undefined): string[] {
  const packs = (config?.rules ?? []).filter((pattern) => !pattern.startsWith('driftwatch:'));
  const isPack = packs.length > 0 ? picomatch(packs, { dot: true }) : () => false;
  return changed.all.filter((file) => file === configName || isPack(file));
}

function invalid(
  error: unknown,
  ids: { number: number; headSha: string; baseSha: string; configFile: string },
  changedConfig: readonly string[],
): PullRequestAnalysis {
  if (!(error instanceof DriftwatchError) || error.code !== 'CONFIG_ERROR') throw error;
  return { kind: 'config-invalid', ...ids, problems: error.problems, configChanged: changedConfig };
}

/**
 * Reads every rule pack and `path` source file of both commits at once. The
 * pipeline reads packs one after another and each commit in turn; over
 * GitHub each read is a round trip, and a commit tree keeps what it fetched.
 * What fails here is left for the pipeline to report where it belongs.
 */
async function prefetchConfigFiles(config: Config, trees: readonly AnalysedTree[]): Promise<void> {
  const patterns = [
    ...config.rules.filter((pattern) => !pattern.startsWith('driftwatch:')),
    ...config.environments.flatMap((environment) =>
      environment.sources.flatMap((source) => {
        if (source.kind !== 'path') return [];
        const { path: written } = source.spec as { path: string | string[] };
        return typeof written === 'string' ? [written] : written;
      }),
    ),
  ];
  await Promise.allSettled(
    trees.flatMap((tree) =>
      patterns.map(async (pattern) => {
        const files = isDynamicPattern(pattern) ? await tree.glob(pattern) : [pattern];
        await Promise.allSettled(files.map((file) => tree.readFile(file)));
      }),
    ),
  );
}

interface CodeIndexes {
  readonly base: ReferenceIndex;
  readonly head: ReferenceIndex;
  /** Whole commits were scanned (not only the changed files). */
  readonly complete: boolean;
}

/**
 * Both commits' code: whole when it fits under the cap (unchanged files have
 * the same blobs, so the second scan is mostly cache), otherwise only the
 * files the pull request changed, which is enough for the reads it adds and
 * not for stale keys.
 */
async function scanBoth(
  facts: PullRequestFacts,
  config: Config,
  changed: ChangedPaths,
  options: AnalysisOptions,
  notices: string[],
): Promise<CodeIndexes | undefined> {
  if (!config.references) return undefined;
  const common = {
    config: config.references,
    maxFiles: options.maxScanFiles,
    ...(options.scanCache ? { cache: options.scanCache } : {}),
  };
  const head = await scanCommit(facts.head, common);
  const base = head.complete ? await scanCommit(facts.base, common) : head;
  if (head.complete && base.complete) return { base: base.index, head: head.index, complete: true };
  const files = Math.max(head.files, base.files);
  notices.push(
    `references: ${files} code files are over the scan limit of ${options.maxScanFiles}: only the files this pull request changed were scanned, so keys it leaves unread (stale) were not checked`,
  );
  const headChanged = await scanCommit(facts.head, { ...common, only: changed.head });
  const baseChanged = await scanCommit(facts.base, { ...common, only: changed.base });
  if (!headChanged.complete || !baseChanged.complete) throw new Error('a scan of listed files is always complete');
  return { base: baseChanged.index, head: headChanged.index, complete: false };
}

/** Turns paths relative to the config's directory into repository paths, for files either commit has. */
function placeIn(facts: PullRequestFacts) {
  const known = (file: string) =>
    facts.head.entry === undefined || facts.head.entry(file) !== undefined || facts.base.entry?.(file) !== undefined;
  const repository = (file: string): string | undefined => (known(file) ? facts.head.repositoryPath(file) : undefined);
  return {
    /** The repository path of a file either commit has; undefined for anything else (a URL, a command). */
    repository,
    /** The repository path when there is one, the text as it was otherwise. */
    path: (file: string): string => repository(file) ?? file,
  };
}

function withPlaces(finding: Finding, place: ReturnType<typeof placeIn>): Finding {
  return {
    ...finding,
    locations: finding.locations.map((location): FindingLocation => ({ ...location, file: place.path(location.file) })),
  };
}

/**
 * The reads this pull request adds that some environment lacks: introduced
 * findings of kind missing-reference located in a file it changed. Keys are
 * merged across environments.
 */
function missingReadsOf(
  introduced: readonly Finding[],
  changedHead: ReadonlySet<string>,
): (MissingRead & { findingIds: string[] })[] {
  const byKey = new Map<string, MissingRead & { findingIds: string[] }>();
  for (const finding of introduced) {
    if (finding.kind !== 'missing-reference') continue;
    const sites = finding.locations.filter((location) => changedHead.has(location.file));
    if (sites.length === 0) continue;
    const existing = byKey.get(finding.key);
    const places = sites.map(({ file, line, column }) => ({
      file,
      ...(line ? { line } : {}),
      ...(column ? { column } : {}),
    }));
    if (!existing) {
      byKey.set(finding.key, {
        key: finding.key,
        envs: [...finding.envs],
        sites: places,
        severity: finding.severity,
        hasDefault: finding.severity === 'notice',
        findingIds: [finding.id],
      });
      continue;
    }
    byKey.set(finding.key, {
      ...existing,
      envs: [...new Set([...existing.envs, ...finding.envs])].sort(),
      sites: uniquePlaces([...existing.sites, ...places]),
      severity: worse(existing.severity, finding.severity),
      hasDefault: existing.hasDefault && finding.severity === 'notice',
      findingIds: [...existing.findingIds, finding.id],
    });
  }
  return [...byKey.values()].sort((a, b) => compareCodeUnits(a.key, b.key));
}

/** Keys held by some environment of the head that base code read and head code no longer reads. */
function staleKeys(
  snapshots: readonly Snapshot[],
  base: ReferenceIndex,
  head: ReferenceIndex,
  mode: 'exact' | 'relaxed',
  place: ReturnType<typeof placeIn>,
): StaleKey[] {
  const held = new Map<string, { env: string; at?: Place }[]>();
  for (const snapshot of snapshots) {
    for (const entry of snapshot.entries.values()) {
      const holders = held.get(entry.key) ?? [];
      holders.push({ env: snapshot.env, ...placeOf(entry, place) });
      held.set(entry.key, holders);
    }
  }
  const keys = [...held.keys()];
  const before = referencesByKey(keys, base.references, mode);
  const after = referencesByKey(keys, head.references, mode);
  const stale: StaleKey[] = [];
  for (const [key, sites] of before) {
    if (sites.length === 0 || (after.get(key) ?? []).length > 0) continue;
    stale.push({
      key,
      lastReads: uniquePlaces(sites.map((site) => sitePlace(site, place))),
      heldIn: held.get(key) ?? [],
    });
  }
  return stale;
}

/**
 * Keys the pull request adds, changes or removes in some environments and
 * leaves alone in others: the setting added to staging and forgotten in
 * production, the credential removed from one and kept in the other.
 */
function oneSidedChanges(
  base: readonly Snapshot[],
  head: readonly Snapshot[],
  place: ReturnType<typeof placeIn>,
): OneSidedChange[] {
  const baseByEnv = new Map(base.map((snapshot) => [snapshot.env, snapshot]));
  const pairs = head.flatMap((snapshot) => {
    const before = baseByEnv.get(snapshot.env);
    return before ? [{ env: snapshot.env, before, after: snapshot }] : [];
  });
  if (pairs.length < 2) return [];
  const keys = new Set<string>();
  for (const { before, after } of pairs) {
    for (const key of before.entries.keys()) keys.add(key);
    for (const key of after.entries.keys()) keys.add(key);
  }
  const result: OneSidedChange[] = [];
  for (const key of [...keys].sort(compareCodeUnits)) {
    const changes: { env: string; change: KeyChange; at?: Place }[] = [];
    const untouched: string[] = [];
    for (const { env, before, after } of pairs) {
      const was = before.entries.get(key);
      const is = after.entries.get(key);
      const change = changeOf(was, is);
      if (change === undefined) untouched.push(env);
      else changes.push({ env, change, ...placeOf((is ?? was) as Entry, place) });
    }
    if (changes.length > 0 && untouched.length > 0) result.push({ key, changes, untouched });
  }
  return result;
}

function changeOf(was: Entry | undefined, is: Entry | undefined): KeyChange | undefined {
  if (was === undefined) return is === undefined ? undefined : 'added';
  if (is === undefined) return 'removed';
  return sameValue(was, is) ? undefined : 'changed';
}

function placeOf(entry: Entry, place: ReturnType<typeof placeIn>): { at?: Place } {
  const { origin } = entry;
  // Only files of the repository are places; a URL or a command is a source, not a place.
  const file =
    origin.sourceKind === undefined || origin.sourceKind === 'path' ? place.repository(origin.file) : undefined;
  if (file === undefined) return {};
  return {
    at: {
      file,
      ...(origin.line === undefined ? {} : { line: origin.line }),
      ...(origin.column === undefined ? {} : { column: origin.column }),
    },
  };
}

function sitePlace(site: ReferenceSite, place: ReturnType<typeof placeIn>): Place {
  return { file: place.path(site.file), line: site.line, column: site.column };
}

function uniquePlaces(places: readonly Place[]): Place[] {
  const seen = new Map<string, Place>();
  for (const at of places) seen.set(`${at.file}\0${at.line ?? 0}\0${at.column ?? 0}`, at);
  return [...seen.values()].sort(
    (a, b) => compareCodeUnits(a.file, b.file) || (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0),
  );
}

const RANK: Record<Severity, number> = { error: 0, warning: 1, notice: 2 };

function worse(a: Severity, b: Severity): Severity {
  return RANK[a] <= RANK[b] ? a : b;
}
