import type { ExtractedReference, ReferenceExtractor, UnresolvableSite } from './extractor.js';
import { type CommentSyntax, SourceText } from './source-text.js';

const SYNTAX: CommentSyntax = { line: ['#'], block: false };

/**
 * `${NAME...}` (not `$${...}`, an escaped dollar in Compose files) and Helm's
 * `.Values.a.b`. A `${...}` name is an env name or a dotted Spring property,
 * with `-` allowed in segments; see `placeholderName` for the shell default.
 */
const ANCHOR = /(?<!\$)\$\{([A-Za-z_][\w-]*(?:\.[\w-]+|\[\d+\])*)|(?<![\w$])\$?\.Values((?:\.\w+)+)/g;

/**
 * Templates and config files that interpolate: `${X}`, `${X:-default}`,
 * `${a.b:default}` (Spring), and Helm's `{{ .Values.a.b }}` (dotted `a.b`).
 * `${...}` in a `#` comment is skipped; `.Values` is not, because Helm renders
 * templates inside YAML comments too.
 */
export const templateExtractor: ReferenceExtractor = {
  id: 'template',
  extensions: [
    '.tpl',
    '.tmpl',
    '.template',
    '.yaml',
    '.yml',
    '.json',
    '.toml',
    '.conf',
    '.cfg',
    '.ini',
    '.properties',
    '.sh',
    '.bash',
    '.zsh',
    '.env',
    'dockerfile',
  ],
  needles: ['${', '.Values.'],
  extract(text) {
    const references: ExtractedReference[] = [];
    const unresolvable: UnresolvableSite[] = [];
    const source = new SourceText(text);
    for (const anchor of text.matchAll(ANCHOR)) {
      const start = anchor.index;
      const helm = anchor[2];
      if (helm !== undefined) {
        references.push(source.reference(start, helm.slice(1), 'dotted'));
        continue;
      }
      if (source.isCommented(start, SYNTAX)) continue;
      const { name, optional } = placeholderName(anchor[1] as string, text, start + anchor[0].length);
      references.push(source.reference(start, name, name.includes('.') ? 'dotted' : 'env', { optional }));
    }
    return { references, unresolvable };
  },
};

/**
 * A name without a dot is a shell variable, where `-` starts a default
 * (`${X-d}`): it is cut there. What follows the name decides whether the read
 * is optional: `:-`, `-`, `:=`, `=`, `:+`, `+` and Spring's `:` give a
 * default; `}`, `:?` and `?` require the value.
 */
function placeholderName(written: string, text: string, end: number): { name: string; optional: boolean } {
  if (!written.includes('.') && written.includes('-')) {
    return { name: written.slice(0, written.indexOf('-')), optional: true };
  }
  const next = text[end];
  if (next === ':') return { name: written, optional: text[end + 1] !== '?' };
  return { name: written, optional: next === '-' || next === '=' || next === '+' };
}
