import { isMap, isSeq, parseDocument } from 'yaml';
import type { RepositoryFiles } from './layout.js';

/**
 * The repository's own rule packs: YAML files whose top level is `rules:`, a
 * list of rules with an `id` and a `kind`. Anything else named rules.yaml
 * (a linter's, a CI's) is not one.
 */
export function findRulePacks(repository: RepositoryFiles): string[] {
  return repository.files.filter((file) => /\.ya?ml$/.test(file) && isRulePack(repository, file));
}

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
