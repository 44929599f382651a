import type { PathSegment } from '../formats/format.js';
import { formatKeyPath } from '../snapshot/key-path.js';

/**
 * Key globs match key paths segment by segment: `*` matches within one
 * segment (`*_SECRET` matches `DB_SECRET`, `oauth.*.client_id`), `**` matches
 * any number of segments (`features.**`, `**.password`), and `[*]` any list
 * index. A `*` that is the whole last segment matches everything below the
 * segments before it, as people read `company.default.*`: it matches
 * `company.default.web` and `company.default.web.id` (it is `*.**`). Segments
 * that contain dots are quoted as in key paths: `logging.level."com.macro.*"`.
 */
export type KeyMatcher = (segments: readonly PathSegment[]) => boolean;

type GlobSegment =
  | { readonly kind: 'any-depth' }
  | { readonly kind: 'segment'; readonly test: (segment: PathSegment) => boolean };

export class KeyGlobSyntaxError extends Error {
  constructor(glob: string, message: string) {
    super(`invalid key glob '${glob}': ${message}`);
    this.name = 'KeyGlobSyntaxError';
  }
}

function splitGlob(glob: string): string[] {
  const parts: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < glob.length; i++) {
    const char = glob[i] as string;
    if (char === '\\' && quoted) {
      current += char + (glob[i + 1] ?? '');
      i++;
      continue;
    }
    if (char === '"') quoted = !quoted;
    if (char === '[' && !quoted && current !== '') {
      parts.push(current);
      current = '';
    }
    if (char === '.' && !quoted) {
      parts.push(current);
      current = '';
      continue;
    }
    current += char;
  }
  if (quoted) throw new KeyGlobSyntaxError(glob, 'unterminated quote');
  parts.push(current);
  return parts;
}

function segmentMatcher(glob: string, part: string): GlobSegment {
  if (part === '') throw new KeyGlobSyntaxError(glob, 'empty segment');
  if (part === '**') return { kind: 'any-depth' };
  if (part === '[*]') return { kind: 'segment', test: (segment) => typeof segment === 'number' };
  const index = /^\[(\d+)\]$/.exec(part);
  if (index) {
    const wanted = Number(index[1]);
    return { kind: 'segment', test: (segment) => segment === wanted };
  }
  let text = part;
  if (part.startsWith('"')) {
    if (!part.endsWith('"') || part.length < 2) throw new KeyGlobSyntaxError(glob, `bad quoting in ${part}`);
    text = part.slice(1, -1).replace(/\\(["\\])/g, '$1');
  }
  if (!text.includes('*') && !text.includes('?')) {
    return { kind: 'segment', test: (segment) => segment === text };
  }
  const source = text
    .split('')
    .map((char) => (char === '*' ? '.*' : char === '?' ? '.' : char.replace(/[\\^$+.()|{}[\]]/g, '\\$&')))
    .join('');
  const regex = new RegExp(`^${source}$`, 's');
  return { kind: 'segment', test: (segment) => typeof segment === 'string' && regex.test(segment) };
}

export function compileKeyGlob(glob: string): KeyMatcher {
  const written = splitGlob(glob.trim());
  const parts = written.map((part) => segmentMatcher(glob, part));
  // A trailing bare `*`: one map key, then anything below it.
  if (written[written.length - 1] === '*') parts.push({ kind: 'any-depth' });
  return (segments) => matchFrom(parts, 0, segments, 0);
}

/**
 * Texts every key matching the glob must contain: its literal segments. A
 * cheap substring test on the key string rules most keys out before their
 * segments are parsed and matched.
 */
export function requiredTexts(glob: string): string[] {
  return splitGlob(glob.trim()).filter((part) => part !== '' && !/[*?[\]"\\]/.test(part));
}

function matchFrom(parts: readonly GlobSegment[], p: number, segments: readonly PathSegment[], s: number): boolean {
  while (p < parts.length) {
    const part = parts[p] as GlobSegment;
    if (part.kind === 'any-depth') {
      if (p === parts.length - 1) return true;
      for (let skip = s; skip <= segments.length; skip++) {
        if (matchFrom(parts, p + 1, segments, skip)) return true;
      }
      return false;
    }
    if (s >= segments.length || !part.test(segments[s] as PathSegment)) return false;
    p++;
    s++;
  }
  return s === segments.length;
}

/** A key matches a list of globs when it matches any of them. */
export function compileKeyGlobs(globs: readonly string[]): KeyMatcher {
  const matchers = globs.map(compileKeyGlob);
  return (segments) => matchers.some((matcher) => matcher(segments));
}

/**
 * The literal start every matching key shares, as key-path text: `svc1.`
 * for `svc1.**`, `oauth.global.` for `oauth.global.*`; empty when the glob
 * starts with a wildcard. Rules scan only the sorted range with that prefix.
 */
export function literalPrefixOf(glob: string): string {
  const parts = splitGlob(glob.trim());
  const literal: string[] = [];
  for (const part of parts.slice(0, -1)) {
    if (/[*?[\]"\\]/.test(part) || part === '') break;
    literal.push(part);
  }
  return literal.length === 0 ? '' : `${formatKeyPath(literal)}`;
}

/** `**` matches every key: rules over everything skip matching altogether. */
export function matchesEverything(glob: string): boolean {
  return glob.trim() === '**';
}

/**
 * A glob without wildcards names exactly one key; its canonical key path, so
 * that the rule can look the key up instead of testing every key.
 */
export function literalKeyOf(glob: string): string | undefined {
  if (/[*?]/.test(glob)) return undefined;
  const segments = splitGlob(glob.trim()).map((part) => {
    if (/^\[\d+\]$/.test(part)) return Number(part.slice(1, -1));
    return part.startsWith('"') ? part.slice(1, -1).replace(/\\(["\\])/g, '$1') : part;
  });
  return formatKeyPath(segments);
}
