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

/**
 * The leaves of a flat document (one string segment per key, every value a
 * string: dotenv) as columns, one array per field. A snapshot of a large
 * file reads them without an object per key kept alive until the end.
 */
export interface FlatLeaves {
  readonly keys: readonly string[];
  readonly values: readonly string[];
  readonly lines: ArrayLike<number>;
  readonly columns: ArrayLike<number>;
}

/**
 * Flat leaves written one at a time into columns made once, for at most
 * `capacity` leaves (a document's line count, say): no array grows and is
 * copied while a large file is read, and positions are plain integers.
 */
export class FlatLeavesBuilder {
  readonly #keys: string[];
  readonly #values: string[];
  readonly #lines: Int32Array;
  readonly #columns: Int32Array;
  #count = 0;

  constructor(capacity: number) {
    this.#keys = new Array<string>(capacity);
    this.#values = new Array<string>(capacity);
    this.#lines = new Int32Array(capacity);
    this.#columns = new Int32Array(capacity);
  }

  add(key: string, value: string, line: number, column: number): void {
    const index = this.#count++;
    if (index >= this.#keys.length) throw new RangeError(`more than the ${this.#keys.length} leaves planned for`);
    this.#keys[index] = key;
    this.#values[index] = value;
    this.#lines[index] = line;
    this.#columns[index] = column;
  }

  /** The leaves written, in order. */
  leaves(): FlatLeaves {
    const count = this.#count;
    this.#keys.length = count;
    this.#values.length = count;
    return {
      keys: this.#keys,
      values: this.#values,
      lines: this.#lines.subarray(0, count),
      columns: this.#columns.subarray(0, count),
    };
  }
}

/** Flat leaves as leaves: the same keys, values and positions, in the same order. */
export function leavesOfFlat(flat: FlatLeaves): Leaf[] {
  const { keys, values, lines, columns } = flat;
  return keys.map((key, index) => ({
    path: [key],
    value: values[index] as string,
    type: 'string',
    line: lines[index] as number,
    column: columns[index] as number,
  }));
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
  /** What `parse` reads, as columns (see FlatLeaves): only formats whose keys are flat have it. */
  parseFlat?(text: string, origin: string): FlatLeaves;
}
