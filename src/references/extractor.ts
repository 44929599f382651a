/**
 * An extractor finds the places where one kind of code reads configuration.
 * Each one is a module of this interface, registered in `extractors.ts`.
 */

/** `env`: a flat environment variable name (`DB_URL`); `dotted`: a key path read (`db.url`). */
export type ReferenceStyle = 'env' | 'dotted';

/** A read whose key is written out in the code. Lines and columns are 1-based (columns in UTF-16 units). */
export interface ExtractedReference {
  readonly name: string;
  readonly line: number;
  readonly column: number;
  readonly style: ReferenceStyle;
  /** The read binds everything under `name` (Spring `@ConfigurationProperties(prefix = ...)`). */
  readonly prefix?: boolean;
  /**
   * The read copes with the key being absent: it gives a default in the same
   * expression (`${X:-d}`, `os.getenv("X", "d")`, `process.env.X ?? 'd'`) or
   * only tests for presence (`config.has`, `os.LookupEnv`).
   */
  readonly optional?: boolean;
}

/** A read whose key is computed at run time (`process.env[name]`): driftwatch cannot tell which key it is. */
export interface UnresolvableSite {
  readonly line: number;
  readonly column: number;
  /** The read as written, on one line, at most 80 characters. */
  readonly snippet: string;
}

export interface Extraction {
  readonly references: ExtractedReference[];
  readonly unresolvable: UnresolvableSite[];
}

export type BuiltinExtractorId = 'javascript' | 'python' | 'go' | 'jvm' | 'ruby' | 'template';

export interface ReferenceExtractor {
  /** A built-in id, or the `name` of a user extractor from driftwatch.yaml. */
  readonly id: string;
  /**
   * Endings of the file names this extractor reads, lower case: `['.ts', '.env', 'dockerfile']`.
   * Empty for user extractors, which are chosen by their `files` globs.
   */
  readonly extensions: readonly string[];
  /**
   * ASCII strings at least one of which every match contains (`.env` for
   * `process.env.X`). The scanner looks for them in a file's bytes first and
   * decodes and extracts only files that hold one: most files hold none.
   * Absent: every file is extracted (user extractors).
   */
  readonly needles?: readonly string[];
  /** Pure; linear in the length of `text` (no pattern may backtrack catastrophically). */
  extract(text: string): Extraction;
}
