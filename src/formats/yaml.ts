import type { Format, Leaf } from './format.js';
import { guardParse, LeafWalker, mergeDocumentLeaves, parseYamlStream } from './yaml-leaves.js';

/**
 * YAML configuration (Helm values, Spring Boot `application-*.yml`, plain
 * config). Every document of a multi-document file contributes leaves; a
 * later document overrides what earlier ones said at the same path, as if the
 * documents were files merged in order; an empty document contributes nothing.
 * A document is a map or a list; a lone scalar is not configuration. Lists
 * whose items are maps with unique `name`s (Helm's lists of applications,
 * containers, env vars) are keyed by name, so that inserting one item does not
 * shift every later item into a false difference. How
 * values, keys, aliases, merge keys and custom tags become leaves is decided
 * once, in yaml-leaves.ts.
 */
const NAMED_LISTS = { namedLists: true } as const;

export const yamlFormat: Format = {
  id: 'yaml',
  extensions: ['.yaml', '.yml'],
  parse(text: string, origin: string): Leaf[] {
    return guardParse(origin, () => {
      const walker = new LeafWalker(parseYamlStream(text, origin));
      const documents = walker.stream.documents.map((doc) => walker.documentLeaves(doc, NAMED_LISTS));
      walker.throwIfProblems();
      return mergeDocumentLeaves(documents);
    });
  },
};
