import type { UserExtractorConfig } from './config.js';
import type { ExtractedReference, ReferenceExtractor } from './extractor.js';
import { SourceText } from './source-text.js';

/**
 * The compiled pattern of a user extractor; `gm`, so `^` and `$` match at line
 * ends. (Here rather than beside the schema so that scan workers need not load zod.)
 */
export function compileExtractorPattern(pattern: string): RegExp {
  return new RegExp(pattern, 'gm');
}

/**
 * An extractor from driftwatch.yaml: every match of `pattern` whose `key`
 * group is not empty is a read of that key, dotted when the key contains a
 * dot. Its speed and backtracking are the pattern author's.
 */
export function userExtractor(config: UserExtractorConfig): ReferenceExtractor {
  const pattern = compileExtractorPattern(config.pattern);
  return {
    id: config.name,
    extensions: [],
    extract(text) {
      const references: ExtractedReference[] = [];
      let source: SourceText | undefined;
      for (const match of text.matchAll(pattern)) {
        const key = match.groups?.key;
        if (!key) continue;
        source ??= new SourceText(text);
        references.push(source.reference(match.index, key, key.includes('.') ? 'dotted' : 'env'));
      }
      return { references, unresolvable: [] };
    },
  };
}
