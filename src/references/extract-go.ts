import type { ExtractedReference, ReferenceExtractor, UnresolvableSite } from './extractor.js';
import { type CommentSyntax, literalOf, SourceText, stickyAt } from './source-text.js';

const SYNTAX: CommentSyntax = { line: ['//'], block: true };

const ANCHOR = /\bos\.(?:Getenv|(LookupEnv))\b/g;
const CALL = /\s*\(\s*(?:"([^"\\\r\n]*)"|`([^`\r\n]*)`)\s*\)/y;
const CALL_OPEN = /\s*\(/y;

/** Go: `os.Getenv("X")`; `os.LookupEnv("X")`, which lets the caller handle absence, is an optional read. */
export const goExtractor: ReferenceExtractor = {
  id: 'go',
  extensions: ['.go'],
  needles: ['Getenv', 'LookupEnv'],
  extract(text) {
    const references: ExtractedReference[] = [];
    const unresolvable: UnresolvableSite[] = [];
    const source = new SourceText(text);
    for (const anchor of text.matchAll(ANCHOR)) {
      const start = anchor.index;
      const end = start + anchor[0].length;
      if (source.isCommented(start, SYNTAX)) continue;
      const call = stickyAt(CALL, text, end);
      if (call) {
        const name = literalOf(call, 1, 2) as string;
        if (name !== '') references.push(source.reference(start, name, 'env', { optional: anchor[1] !== undefined }));
      } else if (stickyAt(CALL_OPEN, text, end)) {
        unresolvable.push(source.unresolvable(start, ')'));
      }
    }
    return { references, unresolvable };
  },
};
