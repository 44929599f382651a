import { isCommonEnvironmentName } from '../environment-names.js';
import { folderOf, joinPath } from '../file-names.js';
import type { Layout, LayoutMatch, Unplaced } from '../layout.js';

const DOT_ENV_FILE = /^\.env\.(.+)$/;
const NAMED_ENV_FILE = /^(.+)\.env$/;
/** `.env.example` and friends are templates for people, not an environment. */
const TEMPLATES = new Set(['example', 'sample', 'template', 'dist', 'defaults', 'default', 'tmpl', 'tpl']);

/**
 * dotenv files: `.env.<env>` (any name) and `<env>.env` (a name environments
 * go by), merged over a `.env` in the same folder. Each folder is a group.
 */
export const dotenvLayout: Layout = {
  id: 'dotenv',
  title: 'dotenv files',
  detect(repository) {
    const matches: LayoutMatch[] = [];
    const unplaced: Unplaced[] = [];
    for (const file of repository.files) {
      const name = file.slice(file.lastIndexOf('/') + 1);
      const env = environmentOf(name, file, unplaced);
      if (env === undefined) continue;
      const dir = folderOf(file);
      const base = joinPath(dir, '.env');
      const files = repository.has(base) ? [base, file] : [file];
      matches.push({
        env,
        group: dir,
        groupPrefix: dir.split('/').at(-1) || 'app',
        sources: files.map((path) => ({ path })),
        evidence: files.length > 1 ? `dotenv ${file} over ${base}` : `dotenv ${file}`,
        files,
      });
    }
    for (const file of repository.files) {
      if (file.slice(file.lastIndexOf('/') + 1) !== '.env') continue;
      if (matches.some((match) => match.files.includes(file))) continue;
      unplaced.push({
        path: file,
        reason: 'a .env with no .env.<env> beside it: which environment it is, is not said',
      });
    }
    return { matches, unplaced };
  },
};

function environmentOf(name: string, file: string, unplaced: Unplaced[]): string | undefined {
  const dotted = DOT_ENV_FILE.exec(name)?.[1];
  if (dotted !== undefined) {
    if (dotted === 'local' || dotted.endsWith('.local')) {
      unplaced.push({ path: file, reason: 'a local override (one machine), not an environment' });
      return undefined;
    }
    if (TEMPLATES.has(dotted.toLowerCase())) {
      unplaced.push({ path: file, reason: 'a template for people to copy, not an environment' });
      return undefined;
    }
    return dotted;
  }
  const named = NAMED_ENV_FILE.exec(name)?.[1];
  if (named === undefined || named.startsWith('.')) return undefined;
  if (isCommonEnvironmentName(named)) return named;
  unplaced.push({ path: file, reason: `'${named}' is not a name environments go by; add it to one by hand` });
  return undefined;
}
