import type { LeafValue, ValueType } from '../formats/format.js';
import type { SourceKind } from '../sources/source.js';

/** Where a key's winning value was written. Line and column are absent for sources without lines (`env`). */
export interface Origin {
  /** The source's label as in driftwatch.yaml. */
  readonly source: string;
  readonly sourceKind?: SourceKind;
  /**
   * The file is under version control: a `git` source's file, a `path`
   * source's file that git tracks (not a git-ignored `.env.local`), a commit's
   * file. A secret there is written in plain text for everyone with the repository.
   */
  readonly tracked?: boolean;
  /** The file, URL or `ref:path` inside that source. */
  readonly file: string;
  readonly line?: number;
  readonly column?: number;
}

/**
 * Why a value is secret: its key's name (or an ancestor's), its shape, a
 * password or a token user name in a URL (only that part is masked), a
 * Kubernetes Secret, an encrypted value (Ansible Vault, SOPS), or
 * `secrets.always` in driftwatch.yaml.
 */
export type SensitiveReason =
  | 'key-name'
  | 'value-shape'
  | 'url-password'
  | 'url-token'
  | 'kubernetes-secret'
  | 'encrypted'
  | 'declared';

/** One key of one environment. */
export interface Entry {
  /** Canonical key path (see key-path.ts). */
  readonly key: string;
  readonly type: ValueType;
  /**
   * The value as it may be shown. Absent when the value is sensitive; for a
   * URL whose only secret is its password, the URL with the password masked.
   */
  readonly value?: LeafValue;
  /** HMAC-SHA256 (hex) of the type and the full value: equal values, equal fingerprints, in every environment. */
  readonly fingerprint: string;
  readonly sensitive: boolean;
  readonly sensitiveReason?: SensitiveReason;
  readonly tag?: string;
  readonly origin: Origin;
}

export interface SourceStatus {
  readonly source: string;
  readonly status: 'ok' | 'error';
  /** Files, URLs or commands the source resolved to, in order. */
  readonly documents: readonly string[];
  /**
   * HMAC-SHA256 under the fingerprint key of the texts read, for history:
   * "did anything change at all?". Keyed, because the texts hold secrets: an
   * unkeyed hash of `DB_PASSWORD=7391` gives the password back by brute force.
   */
  readonly digest?: string;
  readonly keys: number;
}

/** One environment at one moment. Entries are sorted by key. */
export interface Snapshot {
  readonly env: string;
  /** ISO 8601 UTC. */
  readonly takenAt: string;
  readonly entries: ReadonlyMap<string, Entry>;
  readonly sources: readonly SourceStatus[];
  /**
   * Lists whose items are keyed by name (containers, initContainers, env,
   * middleware): list key path → item names in the order written, sorted by
   * key. Their entries read like a map's, but this order matters. Absent when
   * there are none (and in snapshots read back from the history).
   */
  readonly namedLists?: ReadonlyMap<string, readonly string[]>;
}
