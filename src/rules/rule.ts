import * as z from 'zod';
import type { KeyMatrix, KeyRow, ListRow } from '../compare/matrix.js';
import type { MatchMode } from '../references/config.js';
import type { ReferenceIndex } from '../references/scan.js';
import type { FindingLocation, RuleKind as RuleKindName, Severity } from '../report/report.js';
import type { Entry } from '../snapshot/snapshot.js';

export const RuleId = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]*$/, 'a rule id is lower-case letters, digits and dashes (e.g. retired-global-oauth)');

/** Fields every rule has. Each kind's schema extends these. */
export const commonRuleFields = {
  id: RuleId,
  keys: z.array(z.string().min(1)).min(1, 'list at least one key glob'),
  /** Environments the rule applies to; all by default. */
  envs: z.array(z.string().min(1)).min(1).optional(),
  severity: z.enum(['error', 'warning', 'notice']).optional(),
  message: z.string().min(1).optional(),
};

/** A rule as validated, whatever its kind. */
export interface RuleBase {
  readonly id: string;
  readonly kind: RuleKindName;
  readonly keys: readonly string[];
  readonly envs?: readonly string[];
  readonly severity?: Severity;
  readonly message?: string;
}

/** Where the code reads configuration, for rules that compare config with code. */
export interface ReferenceContext {
  readonly index: ReferenceIndex;
  readonly mode: MatchMode;
}

/** What the snapshot history knows, for rules about the past. */
export interface HistoryContext {
  /** Per environment: keys it once had and its latest snapshot lacks, with when they went. */
  readonly removedKeys: ReadonlyMap<string, readonly { readonly key: string; readonly removedAt: string }[]>;
}

/** What a pull request changes, for rules that compare its head with its base. */
export interface ChangeContext {
  /** Files the pull request added, modified, removed or renamed (old and new name), relative to the config's directory. */
  readonly files: readonly string[];
  /** The base commit's environments; the rule's `matrix` holds the head's. */
  readonly base: KeyMatrix;
}

/** What beyond the snapshots a rule kind may need. */
export type RuleNeed = 'references' | 'history' | 'changes';

/** What a rule sees: the aligned matrix, narrowed to its keys and environments. */
export interface RuleContext {
  readonly matrix: KeyMatrix;
  /** Indexes into `matrix.envs` of the environments the rule applies to. */
  readonly envIndexes: readonly number[];
  /** Rows whose key matches the rule's `keys`. */
  readonly rows: readonly KeyRow[];
  /** Lists keyed by name whose key matches the rule's `keys`, with their order per environment. */
  readonly lists?: readonly ListRow[];
  readonly now: Date;
  /** Present when a rule `needs` it (see RuleKindModule.needs). */
  readonly references?: ReferenceContext;
  readonly history?: HistoryContext;
  readonly changes?: ChangeContext;
}

/** A rule's verdict on one key, before the engine gives it an id, a severity and locations. */
export interface Verdict {
  readonly key: string;
  /** The environments the verdict is about. */
  readonly envs: readonly string[];
  readonly message: string;
  /** Entries whose origins locate the verdict and whose values may be shown, by environment. */
  readonly entries: readonly { readonly env: string; readonly entry: Entry }[];
  /** Places that are not config entries: where code reads the key. */
  readonly locations?: readonly FindingLocation[];
  /** Overrides the rule's severity for this verdict (a read with a default is only a notice). */
  readonly severity?: Severity;
}

export interface RuleKindModule<Rule extends RuleBase> {
  readonly kind: RuleKindName;
  readonly defaultSeverity: Severity;
  /**
   * What beyond the snapshots the kind needs; `check` scans code or opens the
   * history only when a rule needs it. `changes`: only a pull request has them.
   */
  readonly needs?: RuleNeed;
  /** Fields besides `envs` that name one environment (`from`); the loader checks them against the config. */
  readonly environmentFields?: readonly string[];
  /**
   * What it means when the rule's `keys` select nothing in its environments.
   * `'warn'` (the default): the engine reports it, naming the rule and its
   * globs, because a misspelt glob would otherwise pass for ever. `'pass'`:
   * selecting nothing is the rule's own verdict (a forbid whose keys are gone)
   * or the rule reports it itself (a require).
   */
  readonly whenKeysMatchNothing?: 'warn' | 'pass';
  /**
   * For a kind whose `keys` select something other than configured keys (the
   * names the code reads): the globs that select nothing.
   */
  unmatchedKeys?(rule: Rule, context: RuleContext): readonly string[];
  /** Strict: a misspelt field is an error at load time. */
  readonly schema: z.ZodType<Rule, unknown>;
  /** One line for rule metadata (SARIF, docs): what this rule checks. */
  describe(rule: Rule): string;
  /** Pure: no I/O, no globals. */
  check(rule: Rule, context: RuleContext): Verdict[];
}

/** The environments of a row the rule applies to, with their entries (absent ones included as undefined). */
export function cellsOf(row: KeyRow, context: RuleContext): { env: string; entry: Entry | undefined }[] {
  return context.envIndexes.map((index) => ({ env: context.matrix.envs[index] as string, entry: row.entries[index] }));
}

export function present(cells: readonly { env: string; entry: Entry | undefined }[]) {
  return cells.filter((cell): cell is { env: string; entry: Entry } => cell.entry !== undefined);
}

/** `a, b and c` */
export function listOf(names: readonly string[]): string {
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}
