import { isMap, isSeq, parseDocument } from 'yaml';
import type { RepositoryFiles } from './layout.js';

/**
 * The repository's own rule packs: YAML files in a `rules` folder (or named
 * like `team-rules.yaml`) whose top level is `rules:`, a list of rules with an
 * `id` and a `kind`. Anything else so named (a linter's, a CI's) is not one.
 * Only those names are read: a repository of Kubernetes manifests has thousands of YAML files.
 */
export function findRulePacks(repository: RepositoryFiles): string[] {
  return repository.files.filter((file) => RULE_PACK_NAME.test(file) && isRulePack(repository, file));
}

const RULE_PACK_NAME = /(?:^|\/)(?:rules\/[^/]+|[^/]*rules[^/]*)\.ya?ml$/;

function isRulePack(repository: RepositoryFiles, file: string): boolean {
  let text: string;
  try {
    text = repository.read(file);
  } catch {
    return false;
  }
  if (!/^rules:/m.test(text)) return false;
  const document = parseDocument(text);
  if (document.errors.length > 0 || !isMap(document.contents)) return false;
  const rules = document.contents.get('rules', true);
  return (
    isSeq(rules) &&
    rules.items.length > 0 &&
    rules.items.every((rule) => isMap(rule) && rule.has('id') && rule.has('kind'))
  );
}
