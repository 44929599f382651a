import type { ReferenceExtractor } from './extractor.js';
import { type CommentSyntax, extractAtAnchors, literalOf, stickyAt } from './source-text.js';

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
    return extractAtAnchors(text, ANCHOR, SYNTAX, ({ anchor, start, end, source, references, unresolvable }) => {
      const call = stickyAt(CALL, text, end);
      if (call) {
        const name = literalOf(call, 1, 2) as string;
        if (name !== '') references.push(source.reference(start, name, 'env', { optional: anchor[1] !== undefined }));
      } else if (stickyAt(CALL_OPEN, text, end)) {
        unresolvable.push(source.unresolvable(start, ')'));
      }
    });
  },
};
