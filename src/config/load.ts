import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { type Document, LineCounter, parseDocument, type YAMLError } from 'yaml';
import type * as z from 'zod';
import { ConfigError, type Problem } from '../errors.js';
import { encodingProblem } from '../sources/encoding-problem.js';
import { describeReadError } from '../sources/file-tree.js';
import { SOURCE_KINDS, sources } from '../sources/index.js';
import type { CommonSourceSpec, SourceKind } from '../sources/source.js';
import { ConfigFile } from './schema.js';
import { unresolvedAliases } from './yaml-aliases.js';
import { describePath, locate, type Position } from './yaml-locate.js';

export interface SourceConfig {
  readonly kind: SourceKind;
  /** The validated spec, as the source kind's schema produced it. */
  readonly spec: CommonSourceSpec & Record<string, unknown>;
  /** Short label for reports. */
  readonly label: string;
}

export interface EnvironmentConfig {
  readonly name: string;
  readonly sources: readonly SourceConfig[];
}

export interface Config {
  /** Absolute path of driftwatch.yaml. */
  readonly file: string;
  /** How messages name driftwatch.yaml: as the user typed it. */
  readonly displayName: string;
  /** Directory of driftwatch.yaml; every relative path in it resolves from here. */
  readonly dir: string;
  /** In the order the file lists them. */
  readonly environments: readonly EnvironmentConfig[];
  readonly rules: readonly string[];
  /** Where each entry of `rules:` is written in driftwatch.yaml (undefined for the default), for messages. */
  readonly rulePositions: readonly (Position | undefined)[];
  /** Keys that must no longer exist anywhere (`retiredKeys:`), for `forbid` rules with `keysFrom: retiredKeys`. */
  readonly retiredKeys: readonly string[];
  readonly references: ConfigFile['references'];
  readonly history: ConfigFile['history'];
  readonly report: ConfigFile['report'];
  /** `snapshot:` — the service's scheduled snapshots; absent when the file has none (and in configs built by hand). */
  readonly snapshot?: ConfigFile['snapshot'];
  /** Absent in configs built by hand (tests): only the built-in detection then. */
  readonly secrets?: ConfigFile['secrets'];
  /** What the reader should be told though nothing is wrong: old spellings that still work. */
  readonly notices: readonly Problem[];
}

export const DEFAULT_CONFIG_FILE = 'driftwatch.yaml';

/** Reads and validates driftwatch.yaml; every mistake in it is reported at once, with line and column. */
export async function loadConfig(file: string, displayName = file): Promise<Config> {
  const absolute = path.resolve(file);
  let bytes: Buffer;
  try {
    bytes = await readFile(absolute);
  } catch (error) {
    throw new ConfigError([{ file: displayName, message: `cannot read the config file: ${describeReadError(error)}` }]);
  }
  const encoding = encodingProblem(bytes);
  if (encoding) throw new ConfigError([{ file: displayName, ...encoding }]);
  return parseConfig(bytes.toString('utf8'), absolute, displayName);
}

/**
 * yaml's errors as problems of `file`. Its pretty messages carry a code frame
 * and ` at line 3, column 7:`, which the problem says separately; a stack
 * overflow (yaml reports it as an error at the place it gave up) means the
 * file nests deeper than any configuration does.
 */
export function yamlProblems(errors: readonly YAMLError[], file: string): Problem[] {
  return errors.map((error) => ({
    file,
    line: error.linePos?.[0].line,
    column: error.linePos?.[0].col,
    message: /call stack/i.test(error.message)
      ? 'the YAML nests too deeply to read (hundreds of levels); no configuration needs that, so the file is probably generated or broken'
      : firstLine(error.message),
  }));
}

/**
 * `doc.toJS()`, with what a hostile or broken file makes of it — a stack
 * overflow (deep nesting), aliases expanded without end (a "billion laughs") —
 * reported as a problem of `file` rather than a crash.
 */
export function documentValue(doc: Document, file: string): unknown {
  try {
    return doc.toJS();
  } catch (error) {
    if (error instanceof RangeError) {
      throw new ConfigError([{ file, message: 'the YAML nests too deeply to read (hundreds of levels)' }]);
    }
    if (error instanceof ReferenceError && /alias count/i.test(error.message)) {
      throw new ConfigError([
        { file, message: 'the YAML expands its aliases (*name) too many times to read; no configuration needs that' },
      ]);
    }
    throw error;
  }
}

/** `displayName` is how errors name the file (as the user typed it). */
export function parseConfig(text: string, absoluteFile: string, displayName = absoluteFile): Config {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) throw new ConfigError(yamlProblems(doc.errors, displayName));

  const aliases = unresolvedAliases(doc, lineCounter, displayName);
  if (aliases.length > 0) throw new ConfigError(aliases);

  const problems: Problem[] = [];
  const report = (pathInFile: readonly PropertyKey[], message: string, atKey = false) => {
    const position = locate(doc, lineCounter, pathInFile, atKey);
    const where = describePath(pathInFile);
    problems.push({ file: displayName, ...position, message: where ? `${where}: ${message}` : message });
  };

  const parsed = ConfigFile.safeParse(documentValue(doc, displayName) ?? {});
  if (!parsed.success) {
    reportZodIssues(parsed.error.issues, [], report);
    throw new ConfigError(problems);
  }

  const environments: EnvironmentConfig[] = [];
  for (const [name, environment] of Object.entries(parsed.data.environments)) {
    const sourceConfigs: SourceConfig[] = [];
    for (const [index, raw] of environment.sources.entries()) {
      const at = ['environments', name, 'sources', index];
      const source = resolveSource(raw, at, report);
      if (source) sourceConfigs.push(source);
    }
    environments.push({ name, sources: sourceConfigs });
  }
  const notices: Problem[] = [];
  const { retired, retiredKeys } = parsed.data;
  if (retired !== undefined) {
    // Two things were called "retired": this list, and the history rule kind (now `removed-elsewhere`).
    const position = locate(doc, lineCounter, ['retired'], true);
    if (retiredKeys !== undefined) {
      problems.push({
        file: displayName,
        ...position,
        message: "give 'retiredKeys:' only; 'retired:' is its old name",
      });
    } else {
      notices.push({
        file: displayName,
        ...position,
        message:
          "'retired:' is now called 'retiredKeys:' (keys that must no longer exist anywhere); the old name still works",
      });
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);

  return {
    file: absoluteFile,
    displayName,
    dir: path.dirname(absoluteFile),
    environments,
    rules: parsed.data.rules,
    rulePositions: parsed.data.rules.map((_, index) =>
      doc.hasIn(['rules', index]) ? locate(doc, lineCounter, ['rules', index]) : undefined,
    ),
    retiredKeys: retiredKeys ?? retired ?? [],
    references: parsed.data.references,
    history: parsed.data.history,
    report: parsed.data.report,
    ...(parsed.data.snapshot === undefined ? {} : { snapshot: parsed.data.snapshot }),
    secrets: parsed.data.secrets,
    notices,
  };
}

type Report = (pathInFile: readonly PropertyKey[], message: string, atKey?: boolean) => void;

function resolveSource(raw: unknown, at: readonly PropertyKey[], report: Report): SourceConfig | undefined {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    report(at, `expected a source (a map with one of ${SOURCE_KINDS.join(', ')})`);
    return undefined;
  }
  const kinds = SOURCE_KINDS.filter((candidate) => candidate in raw);
  // `git` reads a `path` at a ref: that pair is one kind. Any other two are two sources written as one.
  const distinct = kinds.includes('git') ? kinds.filter((candidate) => candidate !== 'path') : kinds;
  if (distinct.length > 1) {
    const written = Object.keys(raw).filter((key) => distinct.includes(key as SourceKind));
    report(
      [...at, written[1] as string],
      `a source has exactly one kind, and this one has ${written.map((key) => `'${key}'`).join(' and ')}: ` +
        `write one source for each (a git source reads a file at a ref: {git: REF, path: FILE})`,
      true,
    );
    return undefined;
  }
  const kind = distinct[0];
  if (!kind) {
    const written = Object.keys(raw).find((key) => key !== 'format' && key !== 'prefix');
    report(
      at,
      written === undefined
        ? `a source needs one of ${SOURCE_KINDS.join(', ')}`
        : `unknown source kind '${written}'; expected one of ${SOURCE_KINDS.join(', ')}`,
    );
    return undefined;
  }
  const source = sources.get(kind);
  if (!source) throw new Error(`source kind '${kind}' is not registered`);
  const parsed = source.schema.safeParse(raw);
  if (!parsed.success) {
    reportZodIssues(parsed.error.issues, at, report);
    return undefined;
  }
  return { kind, spec: parsed.data, label: source.describe(parsed.data) };
}

export function reportZodIssues(
  issues: readonly z.core.$ZodIssue[],
  base: readonly PropertyKey[],
  report: Report,
): void {
  for (const issue of issues) {
    const at = [...base, ...issue.path];
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) report([...at, key], `unknown field '${key}'`, true);
      continue;
    }
    if (issue.code === 'invalid_key') {
      // zod's own message is "Invalid key in record"; the key's schema says what is wrong with it.
      const reasons = issue.issues.map((inner) => inner.message).join('; ');
      report(at, reasons || `'${String(at.at(-1))}' is not a valid name here`, true);
      continue;
    }
    report(at, issue.message);
  }
}

/** yaml's pretty messages carry a code frame and ` at line 3, column 7:`; we report position separately. */
function firstLine(message: string): string {
  return (message.split('\n')[0] ?? message).replace(/ at line \d+, column \d+:?$/, '');
}
