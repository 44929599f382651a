/** A scalar as it appears in configuration. Big integers and dates are kept as their source text. */
export type LeafValue = string | number | boolean | null;

export type ValueType =
  | 'string'
  | 'number'
  | 'boolean'
  | 'null'
  | 'datetime'
  /** `{}` or `[]`: kept so that "empty here, populated there" is visible. */
  | 'empty-map'
  | 'empty-list'
  /** A custom YAML tag such as `!vault secret/db`: kept as the tag plus its source text. */
  | 'opaque';

/**
 * One segment of a key path: a map key (string) or a list index (number).
 * Formats that key list items by name (Kubernetes containers, env vars)
 * emit the name as a string segment instead of the index.
 */
export type PathSegment = string | number;

/** One leaf of a parsed document, with where it was written. Lines and columns are 1-based. */
export interface Leaf {
  readonly path: readonly PathSegment[];
  readonly value: LeafValue;
  readonly type: ValueType;
  readonly line: number;
  readonly column: number;
  /** Set by formats that know a value is secret whatever its name (Kubernetes Secret data). */
  readonly sensitive?: boolean;
  /** The tag of an opaque value, e.g. `!vault`. */
  readonly tag?: string;
  /**
   * Indexes into `path` of the segments that name an item of a list keyed by
   * name (YAML and Kubernetes: containers, env, middleware). Unlike a map's
   * keys, those items have an order that matters; this lets it be kept.
   */
  readonly namedItems?: readonly number[];
}

export type FormatId = 'yaml' | 'json' | 'dotenv' | 'toml' | 'properties' | 'k8s';

export interface Format {
  readonly id: FormatId;
  /** File name endings this format claims, lower case, with the dot: `['.yaml', '.yml']`. */
  readonly extensions: readonly string[];
  /**
   * Parses `text` into leaves, in document order. Pure. `origin` names the
   * text in errors (a file path, a URL). Throws only `ParseError`, listing
   * every problem found with its line and column.
   */
  parse(text: string, origin: string): Leaf[];
}
