import path from 'node:path';
import { isCommonEnvironmentName } from '../environment-names.js';
import { folderOf, joinPath } from '../file-names.js';
import type { Layout, LayoutMatch, PlannedSource, RepositoryFiles, Unplaced } from '../layout.js';

/** Read here; `.env` files are the dotenv layout's. */
const EXTENSIONS = new Set(['.yaml', '.yml', '.json', '.toml', '.properties']);
/** Formats people keep configuration in that driftwatch does not read. */
const UNREAD = new Set(['.js', '.cjs', '.mjs', '.ts', '.json5', '.hjson', '.coffee', '.xml', '.ini']);
/** node-config's base file, and the usual names of a shared folder. */
const BASE_NAMES = new Set(['default', 'base', 'common', 'shared']);

interface Folder {
  readonly dir: string;
  readonly baseFiles: string[];
  readonly envFiles: Map<string, string[]>;
  readonly baseFolders: Map<string, string[]>;
  readonly envFolders: Map<string, string[]>;
  readonly others: Unplaced[];
}

/**
 * A `config/` folder: `config/<env>.yaml|json|toml|properties` merged over
 * `config/default.*` (node-config's layout), and `config/<env>/` folders over
 * `config/base/`. The same folder holds other files, so only names
 * environments go by count; the rest are reported.
 */
export const configFolderLayout: Layout = {
  id: 'config-folder',
  title: 'config folder',
  detect(repository) {
    const folders = new Map<string, Folder>();
    const folder = (dir: string): Folder => {
      let found = folders.get(dir);
      if (!found) {
        found = { dir, baseFiles: [], envFiles: new Map(), baseFolders: new Map(), envFolders: new Map(), others: [] };
        folders.set(dir, found);
      }
      return found;
    };
    for (const file of repository.files) {
      const segments = file.split('/');
      const at = segments.lastIndexOf('config');
      if (at === segments.length - 2) placeFile(folder(segments.slice(0, at + 1).join('/')), file);
      else if (at !== -1 && at === segments.length - 3)
        placeInSubfolder(folder(segments.slice(0, at + 1).join('/')), file);
    }
    const matches: LayoutMatch[] = [];
    const unplaced: Unplaced[] = [];
    for (const found of folders.values()) {
      const envs = new Set([...found.envFiles.keys(), ...found.envFolders.keys()]);
      if (envs.size === 0) continue;
      unplaced.push(...found.others);
      for (const env of envs) matches.push(matchFor(found, env, repository));
    }
    return { matches, unplaced };
  },
};

function placeFile(folder: Folder, file: string): void {
  const extension = path.posix.extname(file);
  const stem = path.posix.basename(file, extension);
  if (UNREAD.has(extension)) {
    if (isCommonEnvironmentName(stem) || BASE_NAMES.has(stem)) {
      folder.others.push({
        path: file,
        reason: `driftwatch does not read ${extension} files; convert it to JSON or YAML`,
      });
    }
    return;
  }
  if (!EXTENSIONS.has(extension)) return;
  if (stem === 'default') {
    folder.baseFiles.push(file);
  } else if (isCommonEnvironmentName(stem)) {
    if (stem === 'local')
      folder.others.push({ path: file, reason: 'a local override (one machine), not an environment' });
    else pushTo(folder.envFiles, stem, file);
  } else if (stem === 'custom-environment-variables') {
    folder.others.push({
      path: file,
      reason: 'node-config maps environment variables to keys here: names, not values',
    });
  } else if (/^(default|local)-/.test(stem)) {
    folder.others.push({ path: file, reason: 'a node-config per-host or per-instance file, not an environment' });
  } else {
    folder.others.push({ path: file, reason: `'${stem}' is not a name environments go by; add it to one by hand` });
  }
}

function placeInSubfolder(folder: Folder, file: string): void {
  if (!EXTENSIONS.has(path.posix.extname(file))) return;
  const name = file.split('/').at(-2) as string;
  if (BASE_NAMES.has(name)) pushTo(folder.baseFolders, name, file);
  else if (isCommonEnvironmentName(name) && name !== 'local') pushTo(folder.envFolders, name, file);
}

function matchFor(folder: Folder, env: string, repository: RepositoryFiles): LayoutMatch {
  const baseFolderFiles = [...folder.baseFolders.values()];
  const envFolderFiles = folder.envFolders.get(env);
  const envFiles = folder.envFiles.get(env) ?? [];
  const sources: PlannedSource[] = [
    ...baseFolderFiles.map(folderSource),
    ...folder.baseFiles.map((file) => ({ path: file })),
    ...(envFolderFiles ? [folderSource(envFolderFiles)] : []),
    ...envFiles.map((file) => ({ path: file })),
  ];
  const parent = folderOf(folder.dir);
  const bases = [
    ...[...folder.baseFolders.keys()].map((name) => `${joinPath(folder.dir, name)}/`),
    ...folder.baseFiles,
  ];
  const own = [...(envFolderFiles ? [`${joinPath(folder.dir, env)}/`] : []), ...envFiles];
  const nodeConfig = folder.baseFiles.some((file) => file.endsWith('/default.json'));
  return {
    env,
    group: folder.dir,
    groupPrefix: parent.split('/').at(-1) || 'config',
    sources,
    evidence: `${nodeConfig ? 'node-config ' : 'config folder '}${own.join(', ')}${bases.length > 0 ? ` over ${bases.join(', ')}` : ''}`,
    files: [...baseFolderFiles.flat(), ...folder.baseFiles, ...(envFolderFiles ?? []), ...envFiles].filter((file) =>
      repository.has(file),
    ),
  };
}

/** A folder's files as one source: a glob when they share an extension (new files then count too), else the list. */
function folderSource(files: readonly string[]): PlannedSource {
  const extensions = new Set(files.map((file) => path.posix.extname(file)));
  if (extensions.size === 1) return { path: `${folderOf(files[0] as string)}/*${[...extensions][0]}` };
  return { path: files };
}

function pushTo(map: Map<string, string[]>, key: string, value: string): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
