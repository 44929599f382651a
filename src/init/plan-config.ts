import path from 'node:path';
import { compareCodeUnits } from '../compare-code-units.js';
import { ENVIRONMENT_NAME } from '../config/schema.js';
import { extractors } from '../references/extractors.js';
import { environmentRank } from './environment-names.js';
import { keySegment } from './file-names.js';
import type { LayoutMatch, PlannedSource, RepositoryFiles, Unplaced } from './layout.js';
import { layouts } from './layouts/index.js';
import { inMemoryRepository } from './repository-files.js';
import { findRulePacks } from './rule-packs.js';

export interface PlannedEnvironment {
  readonly name: string;
  /** In merge order: each layout's base files before its environment's own, layouts in registry order. */
  readonly sources: readonly PlannedSource[];
  /** Why each group of sources belongs to this environment, one line each. */
  readonly evidence: readonly string[];
}

/** The code init saw, for the `references:` block. */
export interface CodeEvidence {
  readonly include: readonly string[];
  readonly files: number;
  /** Code files by extension, most first. */
  readonly extensions: readonly (readonly [string, number])[];
}

export interface InitPlan {
  readonly environments: readonly PlannedEnvironment[];
  readonly unplaced: readonly Unplaced[];
  readonly code?: CodeEvidence;
  /** The repository's own rule packs, listed after the recommended one. */
  readonly rulePacks: readonly string[];
  /** Folders of test data and examples, whose configuration is not an environment of this repository. */
  readonly notLookedAt: readonly string[];
}

/** `test/fixtures/spring/application-prod.properties` is a test's input, not production. */
const NOT_ENVIRONMENTS = new Set([
  'test',
  'tests',
  '__tests__',
  'spec',
  'fixtures',
  '__fixtures__',
  'testdata',
  'examples',
  'example',
]);

/** Languages whose reads of configuration the reference scan understands; templates are not code that reads. */
const CODE_EXTENSIONS = new Set(
  Object.values(extractors)
    .filter((extractor) => extractor.id !== 'template')
    .flatMap((extractor) => extractor.extensions),
);

/**
 * What init proposes for a repository: its environments with their sources,
 * the files it could not place, and the code it saw. Pure over the file
 * listing, so tests run it on inline layouts.
 */
export function planConfig(repository: RepositoryFiles): InitPlan {
  const environments = new Map<string, { sources: PlannedSource[]; evidence: string[] }>();
  const unplaced: Unplaced[] = [];
  const claimed = new Set<string>();
  const { files: layoutFiles, notLookedAt } = withoutTestsAndExamples(repository.files);
  const view = inMemoryRepository(layoutFiles, (file) => repository.read(file));
  const results = layouts.map((layout) => layout.detect(view));
  // A secretGenerator's files are read by no environment; a file one layout placed (an env file of a
  // kustomize ConfigMap, under its name) is not placed again by a later one (as a flat .env).
  const excluded = new Set(results.flatMap((result) => result.secretFiles ?? []));
  for (const result of results) {
    unplaced.push(...result.unplaced);
    const matches = result.matches.flatMap((match) => withoutFiles(match, excluded));
    for (const match of matches) for (const file of match.files) excluded.add(file);
    const prefixes = groupPrefixes(matches);
    for (const match of matches) {
      if (!ENVIRONMENT_NAME.test(match.env)) {
        for (const file of match.files) {
          unplaced.push({
            path: file,
            reason: `'${match.env}' cannot be an environment name (letters, digits, _ . -)`,
          });
        }
        continue;
      }
      for (const file of match.files) claimed.add(file);
      const prefix = prefixes.get(match.group);
      const environment = environments.get(match.env) ?? { sources: [], evidence: [] };
      environments.set(match.env, environment);
      for (const source of match.sources) {
        const mounted = prefix === undefined ? source : { ...source, prefix: joinPrefix(prefix, source.prefix) };
        if (!environment.sources.some((known) => sameSource(known, mounted))) environment.sources.push(mounted);
      }
      environment.evidence.push(prefix === undefined ? match.evidence : `${match.evidence}, under ${prefix}`);
    }
  }
  const code = codeEvidence(repository.files);
  return {
    environments: [...environments.entries()]
      .sort(([a], [b]) => environmentRank(a) - environmentRank(b) || compareCodeUnits(a, b))
      .map(([name, environment]) => ({ name, ...environment })),
    unplaced: distinctUnplaced(unplaced.filter((entry) => entry.about === 'content' || !claimed.has(entry.path))),
    ...(code ? { code } : {}),
    rulePacks: findRulePacks(view),
    notLookedAt,
  };
}

function withoutTestsAndExamples(files: readonly string[]): { files: string[]; notLookedAt: string[] } {
  const kept: string[] = [];
  const folders = new Set<string>();
  for (const file of files) {
    const segments = file.split('/');
    const at = segments.slice(0, -1).findIndex((segment) => NOT_ENVIRONMENTS.has(segment));
    if (at === -1) kept.push(file);
    else folders.add(`${segments.slice(0, at + 1).join('/')}/`);
  }
  return { files: kept, notLookedAt: [...folders].sort() };
}

/**
 * When one layout is found in more than one place (three Helm charts, three
 * Spring modules), each place is mounted under its own key path, so that two
 * charts' `replicaCount` stay two keys instead of one overriding the other.
 */
function groupPrefixes(matches: readonly LayoutMatch[]): Map<string, string> {
  const groupsByEnvironment = new Map<string, Set<string>>();
  for (const match of matches) {
    const groups = groupsByEnvironment.get(match.env) ?? new Set<string>();
    groupsByEnvironment.set(match.env, groups.add(match.group));
  }
  // Only where two places would meet in one environment: two folders' .env files for two environments do not.
  if (![...groupsByEnvironment.values()].some((groups) => groups.size > 1)) return new Map();
  const byGroup = new Map<string, string>();
  for (const match of matches) byGroup.set(match.group, keySegment(match.groupPrefix));
  const counts = new Map<string, number>();
  for (const prefix of byGroup.values()) counts.set(prefix, (counts.get(prefix) ?? 0) + 1);
  for (const [group, prefix] of byGroup) {
    if ((counts.get(prefix) ?? 0) > 1) byGroup.set(group, keySegment(group));
  }
  return byGroup;
}

/** The match without the sources that read these files; none at all when nothing else is left. */
function withoutFiles(match: LayoutMatch, excluded: ReadonlySet<string>): LayoutMatch[] {
  if (!match.files.some((file) => excluded.has(file))) return [match];
  const sources = match.sources.flatMap((source): PlannedSource[] => {
    if (typeof source.path === 'string') return excluded.has(source.path) ? [] : [source];
    const paths = source.path.filter((file) => !excluded.has(file));
    if (paths.length === 0) return [];
    return [{ ...source, path: paths.length === 1 ? (paths[0] as string) : paths }];
  });
  if (sources.length === 0) return [];
  return [{ ...match, sources, files: match.files.filter((file) => !excluded.has(file)) }];
}

function joinPrefix(outer: string, inner: string | undefined): string {
  return inner === undefined ? outer : `${outer}.${inner}`;
}

function sameSource(a: PlannedSource, b: PlannedSource): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function distinctUnplaced(entries: readonly Unplaced[]): Unplaced[] {
  const seen = new Set<string>();
  const distinct: Unplaced[] = [];
  for (const entry of entries) {
    const key = `${entry.path}\n${entry.reason}`;
    if (seen.has(key)) continue;
    seen.add(key);
    distinct.push(entry);
  }
  return distinct.sort((a, b) => compareCodeUnits(a.path, b.path));
}

function codeEvidence(files: readonly string[]): CodeEvidence | undefined {
  const code = files.filter((file) => CODE_EXTENSIONS.has(path.posix.extname(file).toLowerCase()));
  if (code.length === 0) return undefined;
  const extensions = new Map<string, number>();
  const folders = new Set<string>();
  for (const file of code) {
    const extension = path.posix.extname(file).toLowerCase();
    extensions.set(extension, (extensions.get(extension) ?? 0) + 1);
    folders.add(file.includes('/') ? `${file.slice(0, file.indexOf('/'))}/**` : '**/*');
  }
  return {
    include: folders.has('**/*') ? ['**/*'] : [...folders].sort(),
    files: code.length,
    extensions: [...extensions.entries()].sort(([a, x], [b, y]) => y - x || compareCodeUnits(a, b)),
  };
}
