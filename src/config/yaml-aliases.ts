import { type Document, isAlias, type LineCounter, visit } from 'yaml';
import type { Problem } from '../errors.js';

/**
 * Aliases that name no anchor. In driftwatch.yaml and rule packs these are
 * almost always globs written without quotes: `keys: [*_TOKEN]` or
 * `- path: **\/*.yaml` read as an alias of an anchor `_TOKEN`. Reported with
 * their line and the fix, before `toJS` would throw on them.
 */
export function unresolvedAliases(doc: Document, lineCounter: LineCounter, file: string): Problem[] {
  const problems: Problem[] = [];
  visit(doc, {
    Alias(_, alias) {
      if (!isAlias(alias) || alias.resolve(doc) !== undefined) return;
      const position = alias.range ? lineCounter.linePos(alias.range[0]) : undefined;
      const written = `*${alias.source}`;
      problems.push({
        file,
        ...(position ? { line: position.line, column: position.col } : {}),
        message: `'${written}' is read as a YAML alias (of an anchor '&${alias.source}' that is not defined); a glob that starts with '*' must be quoted: "${written}"`,
      });
    },
  });
  return problems;
}
