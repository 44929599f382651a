import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { isDynamicPattern } from 'tinyglobby';
import { LineCounter, parseDocument } from 'yaml';
import * as z from 'zod';
import { documentValue, reportZodIssues, yamlProblems } from '../config/load.js';
import { unresolvedAliases } from '../config/yaml-aliases.js';
import { describePath, locate } from '../config/yaml-locate.js';
import { ConfigError, DriftwatchError, type Problem } from '../errors.js';
import { packageDir } from '../package-dir.js';
import { encodingProblem } from '../sources/encoding-problem.js';
import type { FileTree } from '../sources/file-tree.js';
import { ruleKinds } from './index.js';
import { compileKeyGlob, KeyGlobSyntaxError } from './key-glob.js';
import type { RuleBase } from './rule.js';

/** Built-in packs ship in the package's `rules/` folder and are named `driftwatch:NAME`. */
export const BUILT_IN_PACK_PREFIX = 'driftwatch:';
const BUILT_IN_DIR = path.join(packageDir(import.meta.dirname), 'rules');

/** A rule as loaded, with where it was written (for messages and SARIF). */
export interface LoadedRule {
  readonly rule: RuleBase;
  /** The pack as the config names it: `rules/oauth.yaml`, `driftwatch:recommended`. */
  readonly pack: string;
  readonly line: number;
}

const PackFile = z.strictObject({ rules: z.array(z.unknown()) });

export interface LoadPacksOptions {
  /** Where packs named by the config are read (built-in packs come with driftwatch). */
  readonly files: FileTree;
  /** Environment names from the config: a rule's `envs` must name them. */
  readonly environments: readonly string[];
  /** Where the patterns were written (driftwatch.yaml, its folder, each entry's position), for messages. */
  readonly declaredIn?: {
    readonly file: string;
    readonly dir: string;
    readonly positions: readonly ({ readonly line: number; readonly column: number } | undefined)[];
  };
  /** Told of what loads but deserves a word: an old spelling that still works. */
  readonly onNotice?: (notice: Problem) => void;
}

/**
 * Old spellings that still load, each with a notice. "retired" meant two
 * things: the history rule kind (now `removed-elsewhere`) and the list of
 * retired keys in driftwatch.yaml (now `retiredKeys:`).
 */
const RENAMED_VALUES: readonly { readonly field: string; readonly from: string; readonly to: string }[] = [
  { field: 'kind', from: 'retired', to: 'removed-elsewhere' },
  { field: 'keysFrom', from: 'retired', to: 'retiredKeys' },
];

/** A pack to read: from the config's file tree, or one of driftwatch's own. */
interface PackFileRef {
  readonly name: string;
  readonly builtIn?: string;
}

/** Loads every pack the config lists, validating every rule; all mistakes are reported together. */
export async function loadRulePacks(patterns: readonly string[], options: LoadPacksOptions): Promise<LoadedRule[]> {
  const problems: Problem[] = [];
  const packs: PackFileRef[] = [];
  for (const [index, pattern] of patterns.entries()) {
    if (pattern.startsWith(BUILT_IN_PACK_PREFIX)) {
      const name = pattern.slice(BUILT_IN_PACK_PREFIX.length);
      if (!/^[a-z0-9-]+$/.test(name)) {
        problems.push({ message: `unknown built-in rule pack '${pattern}'` });
        continue;
      }
      packs.push({ name: pattern, builtIn: path.join(BUILT_IN_DIR, `${name}.yaml`) });
      continue;
    }
    if (!isDynamicPattern(pattern)) {
      packs.push({ name: pattern });
      continue;
    }
    const matches = await options.files.glob(pattern);
    if (matches.length === 0) problems.push(emptyGlobProblem(pattern, index, options.declaredIn));
    for (const match of matches) packs.push({ name: match });
  }

  const loaded: LoadedRule[] = [];
  for (const pack of packs) {
    const text = await readPack(pack, options.files, problems);
    if (text !== undefined) loaded.push(...parsePack(text, pack.name, options, problems));
  }

  const seen = new Map<string, LoadedRule>();
  for (const entry of loaded) {
    const first = seen.get(entry.rule.id);
    if (first) {
      problems.push({
        file: entry.pack,
        line: entry.line,
        message: `rule '${entry.rule.id}' is defined twice (first in ${first.pack}:${first.line})`,
      });
    }
    seen.set(entry.rule.id, entry);
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return loaded;
}

/** Which glob, written where, and which folder it was matched in: what it takes to see why it found nothing. */
function emptyGlobProblem(pattern: string, index: number, declaredIn: LoadPacksOptions['declaredIn']): Problem {
  if (!declaredIn) return { message: `the rule pack glob '${pattern}' matched no files` };
  return {
    file: declaredIn.file,
    ...declaredIn.positions[index],
    message: `rules[${index}]: the rule pack glob '${pattern}' matched no files in ${declaredIn.dir} (rule pack paths are relative to ${path.basename(declaredIn.file)})`,
  };
}

async function readPack(pack: PackFileRef, files: FileTree, problems: Problem[]): Promise<string | undefined> {
  if (pack.builtIn !== undefined) {
    try {
      return await readFile(pack.builtIn, 'utf8');
    } catch {
      problems.push({ file: pack.name, message: `unknown built-in rule pack '${pack.name}'` });
      return undefined;
    }
  }
  try {
    const bytes = await files.readFile(pack.name);
    const encoding = encodingProblem(bytes);
    if (encoding) {
      problems.push({ file: pack.name, ...encoding });
      return undefined;
    }
    return bytes.toString('utf8');
  } catch (error) {
    if (!(error instanceof DriftwatchError)) throw error;
    const reason = error.problems[0]?.message ?? 'unreadable';
    problems.push({ file: pack.name, message: `cannot read rule pack: ${reason}` });
    return undefined;
  }
}

export function parsePack(
  text: string,
  name: string,
  options: Pick<LoadPacksOptions, 'environments' | 'onNotice'>,
  problems: Problem[],
): LoadedRule[] {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    problems.push(...yamlProblems(doc.errors, name));
    return [];
  }
  const aliases = unresolvedAliases(doc, lineCounter, name);
  if (aliases.length > 0) {
    problems.push(...aliases);
    return [];
  }
  const report = (at: readonly PropertyKey[], message: string, atKey = false, ruleId?: string) => {
    const position = locate(doc, lineCounter, at, atKey);
    const where = ruleId ? `rule '${ruleId}'` : describePath(at);
    problems.push({ file: name, ...position, message: where ? `${where}: ${message}` : message });
  };

  let value: unknown;
  try {
    value = documentValue(doc, name);
  } catch (error) {
    if (!(error instanceof DriftwatchError)) throw error;
    problems.push(...error.problems);
    return [];
  }
  const pack = PackFile.safeParse(value ?? {});
  if (!pack.success) {
    reportZodIssues(pack.error.issues, [], report);
    return [];
  }

  const known = [...ruleKinds.keys()].join(', ');
  const rules: LoadedRule[] = [];
  for (const [index, raw] of pack.data.rules.entries()) {
    const at = ['rules', index];
    const line = locate(doc, lineCounter, at)?.line ?? 1;
    const candidate = withCurrentSpellings(raw, (field, from, to) => {
      const position = locate(doc, lineCounter, [...at, field]);
      const id = typeof (raw as { id?: unknown }).id === 'string' ? `rule '${(raw as { id: string }).id}': ` : '';
      options.onNotice?.({
        file: name,
        ...position,
        message: `${id}${field} '${from}' is now called '${to}'; the old name still works`,
      });
    });
    const ruleId = typeof candidate.id === 'string' ? candidate.id : undefined;
    const module = typeof candidate.kind === 'string' ? ruleKinds.get(candidate.kind as RuleBase['kind']) : undefined;
    if (!module) {
      const message =
        candidate.kind === undefined
          ? `a rule needs a kind (one of ${known})`
          : `unknown kind '${String(candidate.kind)}'; expected one of ${known}`;
      report(candidate.kind === undefined ? at : [...at, 'kind'], message, false, ruleId);
      continue;
    }
    const parsed = module.schema.safeParse(candidate);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const issuePath = [...at, ...issue.path];
        if (issue.code === 'unrecognized_keys') {
          for (const key of issue.keys) report([...issuePath, key], `unknown field '${key}'`, true, ruleId);
        } else {
          const field = issue.path.length > 0 ? `${describePath(issue.path)}: ` : '';
          report(issuePath, `${field}${issue.message}`, false, ruleId);
        }
      }
      continue;
    }
    const rule = parsed.data;
    let valid = true;
    for (const [globIndex, keyGlob] of rule.keys.entries()) {
      try {
        compileKeyGlob(keyGlob);
      } catch (error) {
        if (!(error instanceof KeyGlobSyntaxError)) throw error;
        report([...at, 'keys', globIndex], error.message, false, rule.id);
        valid = false;
      }
    }
    for (const [envIndex, env] of (rule.envs ?? []).entries()) {
      if (options.environments.includes(env)) continue;
      report(
        [...at, 'envs', envIndex],
        `unknown environment '${env}'; the config defines ${options.environments.join(', ')}`,
        false,
        rule.id,
      );
      valid = false;
    }
    for (const field of module.environmentFields ?? []) {
      const env = (rule as unknown as Record<string, unknown>)[field];
      if (typeof env !== 'string' || options.environments.includes(env)) continue;
      report(
        [...at, field],
        `unknown environment '${env}'; the config defines ${options.environments.join(', ')}`,
        false,
        rule.id,
      );
      valid = false;
    }
    if (valid) rules.push({ rule, pack: name, line });
  }
  return rules;
}

/** The rule with old spellings replaced by the current ones, each replacement reported. */
function withCurrentSpellings(
  raw: unknown,
  renamed: (field: string, from: string, to: string) => void,
): Record<string, unknown> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return {};
  const rule = { ...(raw as Record<string, unknown>) };
  for (const { field, from, to } of RENAMED_VALUES) {
    if (rule[field] !== from) continue;
    rule[field] = to;
    renamed(field, from, to);
  }
  return rule;
}
