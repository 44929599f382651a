import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Real per-environment configuration from public repositories, kept beside the
 * project checkout (`../shared/corpus`). Tests read it in place; it is never edited.
 */
export const CORPUS_DIR = path.resolve(import.meta.dirname, '../../shared/corpus');

export function corpusPath(...parts: string[]): string {
  const file = path.join(CORPUS_DIR, ...parts);
  if (!existsSync(file))
    throw new Error(
      `corpus file missing: ${path.relative(CORPUS_DIR, file)} (expected ../shared/corpus beside the checkout)`,
    );
  return file;
}

export function readCorpus(...parts: string[]): string {
  return readFileSync(corpusPath(...parts), 'utf8');
}
