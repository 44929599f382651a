import { commandSource } from './command.js';
import { envSource } from './env.js';
import { gitSource } from './git.js';
import { pathSource } from './path.js';
import type { Source, SourceKind } from './source.js';
import { urlSource } from './url.js';

/**
 * The kinds in the order a source entry is matched against them: `git`
 * entries carry a `path` too, so `path` comes last.
 */
export const SOURCE_KINDS = ['git', 'url', 'command', 'env', 'path'] as const satisfies readonly SourceKind[];

/** Every source kind, keyed by the field that marks it in driftwatch.yaml. */
// biome-ignore lint/suspicious/noExplicitAny: each source validates its own spec through its schema
export const sources: ReadonlyMap<SourceKind, Source<any>> = new Map<SourceKind, Source<any>>([
  ['git', gitSource],
  ['url', urlSource],
  ['command', commandSource],
  ['env', envSource],
  ['path', pathSource],
]);
