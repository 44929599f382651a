import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import type { z } from 'zod';
import { ConfigError, type Problem } from '../errors.js';
import { describeReadError } from '../sources/file-tree.js';
import { SOURCE_KINDS, sources } from '../sources/index.js';
import type { SourceKind } from '../sources/source.js';
import { ConfigFile } from './schema.js';
import { describePath, locate } from './yaml-locate.js';

export interface SourceConfig {
  readonly kind: SourceKind;
  /** The validated spec, as the source kind's schema produced it. */
  readonly spec: { readonly format?: string; readonly prefix?: string } & Record<string, unknown>;
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
  readonly retired: readonly string[];
  readonly references: ConfigFile['references'];
  readonly history: ConfigFile['history'];
}

export const DEFAULT_CONFIG_FILE = 'driftwatch.yaml';

/** Reads and validates driftwatch.yaml; every mistake in it is reported at once, with line and column. */
export async function loadConfig(file: string, displayName = file): Promise<Config> {
  const absolute = path.resolve(file);
  let text: string;
  try {
    text = await readFile(absolute, 'utf8');
  } catch (error) {
    throw new ConfigError([{ file: displayName, message: `cannot read the config file: ${describeReadError(error)}` }]);
  }
  return parseConfig(text, absolute, displayName);
}

/** `displayName` is how errors name the file (as the user typed it). */
export function parseConfig(text: string, absoluteFile: string, displayName = absoluteFile): Config {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new ConfigError(
      doc.errors.map((error) => ({
        file: displayName,
        line: error.linePos?.[0].line,
        column: error.linePos?.[0].col,
        message: firstLine(error.message),
      })),
    );
  }

  const problems: Problem[] = [];
  const report = (pathInFile: readonly PropertyKey[], message: string, atKey = false) => {
    const position = locate(doc, lineCounter, pathInFile, atKey);
    const where = describePath(pathInFile);
    problems.push({ file: displayName, ...position, message: where ? `${where}: ${message}` : message });
  };

  const parsed = ConfigFile.safeParse(doc.toJS() ?? {});
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
  if (problems.length > 0) throw new ConfigError(problems);

  return {
    file: absoluteFile,
    displayName,
    dir: path.dirname(absoluteFile),
    environments,
    rules: parsed.data.rules,
    retired: parsed.data.retired,
    references: parsed.data.references,
    history: parsed.data.history,
  };
}

type Report = (pathInFile: readonly PropertyKey[], message: string, atKey?: boolean) => void;

function resolveSource(raw: unknown, at: readonly PropertyKey[], report: Report): SourceConfig | undefined {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    report(at, `expected a source (a map with one of ${SOURCE_KINDS.join(', ')})`);
    return undefined;
  }
  const kind = SOURCE_KINDS.find((candidate) => candidate in raw);
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
    report(at, issue.message);
  }
}

/** yaml's pretty messages carry a code frame and ` at line 3, column 7:`; we report position separately. */
function firstLine(message: string): string {
  return (message.split('\n')[0] ?? message).replace(/ at line \d+, column \d+:?$/, '');
}
