import picomatch from 'picomatch';
import type { UserExtractorConfig } from './config.js';
import { goExtractor } from './extract-go.js';
import { javascriptExtractor } from './extract-javascript.js';
import { jvmExtractor } from './extract-jvm.js';
import { pythonExtractor } from './extract-python.js';
import { rubyExtractor } from './extract-ruby.js';
import { templateExtractor } from './extract-template.js';
import { userExtractor } from './extract-user.js';
import type { BuiltinExtractorId, ReferenceExtractor } from './extractor.js';

/** Every built-in extractor, by id. A new language is one module and one line here. */
export const extractors: Readonly<Record<BuiltinExtractorId, ReferenceExtractor>> = {
  javascript: javascriptExtractor,
  python: pythonExtractor,
  go: goExtractor,
  jvm: jvmExtractor,
  ruby: rubyExtractor,
  template: templateExtractor,
};

/** Picks the extractors for a file (a path relative to the config dir, `/`-separated). */
export type ExtractorSelector = (file: string) => readonly ReferenceExtractor[];

/**
 * Built-ins are chosen by the ending of the file name, user extractors by
 * their `files` globs (all files when they have none). Selections are cached
 * by ending, so choosing costs a map lookup per file.
 */
export function extractorSelector(userConfigs: readonly UserExtractorConfig[] = []): ExtractorSelector {
  const builtins = Object.values(extractors);
  const endings = [...new Set(builtins.flatMap((extractor) => extractor.extensions))];
  const byEnding = new Map<string, ReferenceExtractor[]>();
  const user = userConfigs.map((config) => ({
    extractor: userExtractor(config),
    matches: config.files ? filesMatcher(config.files) : () => true,
  }));
  return (file) => {
    const name = file.slice(file.lastIndexOf('/') + 1).toLowerCase();
    const lastDot = name.lastIndexOf('.');
    // The cache key: the extension, or the whole name for names like `Dockerfile`.
    const cacheKey = lastDot === -1 ? name : name.slice(lastDot);
    let chosen = byEnding.get(cacheKey);
    if (!chosen) {
      const matching = endings.filter((ending) => name.endsWith(ending));
      chosen = builtins.filter((extractor) => extractor.extensions.some((ending) => matching.includes(ending)));
      byEnding.set(cacheKey, chosen);
    }
    if (user.length === 0) return chosen;
    return [...chosen, ...user.filter((entry) => entry.matches(file)).map((entry) => entry.extractor)];
  };
}

/** A glob without `/` matches the file name in any directory (picomatch's `basename` would break globs with `/`). */
function filesMatcher(globs: readonly string[]): (file: string) => boolean {
  const anywhere = globs.filter((glob) => !glob.includes('/'));
  const rooted = globs.filter((glob) => glob.includes('/'));
  const byName = anywhere.length > 0 ? picomatch(anywhere, { dot: true }) : () => false;
  const byPath = rooted.length > 0 ? picomatch(rooted, { dot: true }) : () => false;
  return (file) => byPath(file) || byName(file.slice(file.lastIndexOf('/') + 1));
}
