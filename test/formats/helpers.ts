import { ParseError, type Problem } from '../../src/errors.js';
import type { Format, Leaf } from '../../src/formats/format.js';
import { formatKeyPath } from '../../src/snapshot/key-path.js';

/** `parse` and `problemsOf` for one format, as its tests call them. */
export function parserFor(format: Format, origin: string) {
  const parse = (text: string): Leaf[] => format.parse(text, origin);
  /** The problems of a text that must not parse; fails the test when it parses or throws anything else. */
  const problemsOf = (text: string): Problem[] => {
    try {
      parse(text);
    } catch (error) {
      if (error instanceof ParseError) return [...error.problems];
      throw error;
    }
    throw new Error('expected a ParseError');
  };
  return { parse, problemsOf };
}

/** Leaves by canonical key path. */
export function byKey(leaves: readonly Leaf[]): Map<string, Leaf> {
  return new Map(leaves.map((leaf) => [formatKeyPath(leaf.path), leaf]));
}
