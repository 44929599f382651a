/**
 * The result of a check, as plain serialisable data. The JSON reporter prints
 * it as the public contract (schema/report.schema.json); every other reporter
 * renders the same data for another audience.
 */

export type Severity = 'error' | 'warning' | 'notice';
export const SEVERITIES = ['error', 'warning', 'notice'] as const satisfies readonly Severity[];

export type RuleKind =
  | 'parity'
  | 'require'
  | 'forbid'
  | 'equal'
  | 'differ'
  | 'match'
  | 'plaintext'
  | 'allow'
  | 'referenced'
  | 'couple'
  | 'removed-elsewhere'
  | 'missing-reference';

export interface FindingLocation {
  readonly env: string;
  /**
   * A file of the repository, by its path from the repository root once the
   * check pipeline has placed it (`services/ledger/config/app.yaml`); or what a
   * source that is not a file names instead (a URL, `command: kubectl …`, `env`).
   */
  readonly file: string;
  readonly line?: number;
  readonly column?: number;
  /**
   * `file` is a path in the repository, from its root: a platform can attach
   * the finding there. Set by the check pipeline; not part of the JSON contract.
   */
  readonly inRepository?: boolean;
}

export interface Finding {
  /** Stable: the same drift has the same id across runs and machines (a hash of rule, key and envs). */
  readonly id: string;
  readonly rule: string;
  readonly kind: RuleKind;
  readonly severity: Severity;
  readonly key: string;
  /** The environments the finding is about, sorted. */
  readonly envs: readonly string[];
  readonly message: string;
  readonly locations: readonly FindingLocation[];
  /**
   * What each environment holds, as it may be shown: the value when it is not
   * sensitive, `fp:1a2b3c4d` (a short fingerprint) when it is, absent when the
   * environment lacks the key.
   */
  readonly values?: Readonly<Record<string, string>>;
  /** Set with `--baseline` when the finding was already in the baseline file: it is reported but does not fail the gate. */
  readonly baseline?: boolean;
  /** ISO date the finding was first seen, once history exists. */
  readonly firstSeen?: string;
  /**
   * Where the rule is written (pack and line), on findings about the rule
   * itself: its keys match nothing. Such a finding has no other location.
   */
  readonly ruleLocation?: { readonly file: string; readonly line: number };
}

export interface ReportError {
  readonly source?: string;
  readonly env?: string;
  readonly message: string;
  /** As in FindingLocation: from the repository root when `inRepository` is set. */
  readonly file?: string;
  readonly line?: number;
  readonly column?: number;
  /** `file` is a path in the repository, from its root. Not part of the JSON contract. */
  readonly inRepository?: boolean;
}

export interface EnvironmentReport {
  readonly name: string;
  readonly keys: number;
  readonly sources: readonly { readonly source: string; readonly status: 'ok' | 'error' }[];
}

/** What a reporter needs to describe a rule (SARIF rule metadata, JUnit suites). */
export interface RuleInfo {
  readonly id: string;
  readonly kind: RuleKind;
  readonly severity: Severity;
  readonly description: string;
}

/**
 * Differences between the environments that no rule judged: values that
 * differ with no `equal`/`differ`/`match`/`allow` rule over them, keys some
 * environments lack with no `parity`/`require`/`forbid`/`allow` rule. Without
 * it, "No drift found" could hide what `driftwatch diff` shows.
 */
export interface UncheckedDrift {
  /** Keys whose values differ between the environments holding them. */
  readonly values: number;
  /** Keys some environments hold and others lack. */
  readonly missing: number;
  /** The environments compared. */
  readonly envs: readonly string[];
}

/**
 * One environment's value of one key, as it may be shown: a secret as its
 * short fingerprint (`fp:1a2b3c4d`), a URL whose only secret is its password
 * with the password masked. Never the value of a secret.
 */
export interface MatrixCell {
  readonly value: string;
  readonly sensitive: boolean;
  /**
   * Cells of one row holding the same value (same type, same fingerprint)
   * share a number, 0 for the first environment's, counting up in
   * environment order: how a reader tells equal from differing without the
   * full fingerprint.
   */
  readonly variant: number;
  /** Where the value was written, named as findings' locations name files. */
  readonly file: string;
  readonly line?: number;
}

/** One key across the environments: `cells[i]` belongs to `environments[i]`, undefined where the key is absent. */
export interface MatrixRow {
  readonly key: string;
  readonly cells: readonly (MatrixCell | undefined)[];
}

export interface Report {
  readonly version: 1;
  readonly environments: readonly EnvironmentReport[];
  /** Sorted by severity (error first), then key, rule, environments and id. */
  readonly findings: readonly Finding[];
  readonly errors: readonly ReportError[];
  /** Counts of findings per severity, baseline findings excluded. */
  readonly summary: Readonly<Record<Severity, number>>;
  /** Every rule that ran, sorted by id. Not part of the JSON contract's required fields. */
  readonly rules: readonly RuleInfo[];
  /**
   * driftwatch.yaml's path from the repository root, set by the check
   * pipeline: where a platform attaches what has no file of its own (a key
   * missing everywhere, a value from a URL). Not part of the JSON contract.
   */
  readonly configFile?: string;
  /** What no rule looked at; absent when every difference was judged (or the check could not be completed). */
  readonly unchecked?: UncheckedDrift;
  /**
   * Every key of every environment, sorted by key, for reporters that show
   * the environment × key matrix (html), when the check was asked for it.
   * Absent when the check could not be completed: a source that was not read
   * would show its keys as missing. Not part of the JSON contract.
   */
  readonly matrix?: readonly MatrixRow[];
}

export interface ReporterOptions {
  /** ANSI colour; the CLI decides (TTY and no NO_COLOR). Only the text reporter uses it. */
  readonly color: boolean;
}

/** Pure: no files, no environment, no clock. */
export type Reporter = (report: Report, options: ReporterOptions) => string;

export type ReportFormat = 'text' | 'json' | 'markdown' | 'sarif' | 'junit' | 'github' | 'html';
