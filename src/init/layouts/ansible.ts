import path from 'node:path';
import { compareCodeUnits } from '../../compare-code-units.js';
import { isCommonEnvironmentName } from '../environment-names.js';
import { folderOf, joinPath } from '../file-names.js';
import type { Layout, LayoutMatch, PlannedSource, Unplaced } from '../layout.js';

const YAML_FILE = /\.ya?ml$/;

/**
 * Ansible variables: `group_vars/<env>.yml` (or a `group_vars/<env>/` folder)
 * merged over `group_vars/all.yml`; or one inventory per environment,
 * `inventories/<env>/group_vars/`, its `all` first. Groups that are not named
 * like environments (`webservers`) are reported, not guessed at.
 */
export const ansibleLayout: Layout = {
  id: 'ansible',
  title: 'Ansible group_vars',
  detect(repository) {
    const byFolder = new Map<string, Map<string, string[]>>();
    for (const file of repository.files) {
      if (!YAML_FILE.test(file)) continue;
      const segments = file.split('/');
      const at = segments.lastIndexOf('group_vars');
      if (at === -1) continue;
      const rest = segments.slice(at + 1);
      if (rest.length > 2) continue;
      const group =
        rest.length === 1 ? path.posix.basename(rest[0] as string).replace(YAML_FILE, '') : (rest[0] as string);
      const dir = segments.slice(0, at + 1).join('/');
      const groups = byFolder.get(dir) ?? new Map<string, string[]>();
      byFolder.set(dir, groups);
      groups.set(group, [...(groups.get(group) ?? []), file]);
    }
    const matches: LayoutMatch[] = [];
    const unplaced: Unplaced[] = [];
    for (const [dir, groups] of byFolder) {
      const inventory = /(?:^|\/)inventor(?:y|ies)\/([^/]+)\/group_vars$/.exec(dir)?.[1];
      if (inventory !== undefined) {
        const ordered = [...groups.entries()].sort(([a], [b]) =>
          a === 'all' ? -1 : b === 'all' ? 1 : compareCodeUnits(a, b),
        );
        const files = ordered.flatMap(([, list]) => list);
        matches.push({
          env: inventory,
          group: folderOf(folderOf(dir)),
          groupPrefix:
            folderOf(folderOf(folderOf(dir)))
              .split('/')
              .at(-1) || 'ansible',
          sources: files.map((file) => ({ path: file })),
          evidence: `Ansible inventory ${folderOf(dir)}/ (group_vars, all first)`,
          files,
        });
        continue;
      }
      const all = groups.get('all') ?? [];
      const envs = [...groups.keys()].filter((group) => group !== 'all' && isCommonEnvironmentName(group));
      if (envs.length === 0) continue;
      for (const [group, files] of groups) {
        if (group === 'all' || envs.includes(group)) continue;
        for (const file of files) {
          unplaced.push({ path: file, reason: `the Ansible group '${group}' is not named like an environment` });
        }
      }
      for (const env of envs) {
        const own = groups.get(env) ?? [];
        const files = [...all, ...own];
        matches.push({
          env,
          group: dir,
          groupPrefix: folderOf(dir).split('/').at(-1) || 'ansible',
          sources: files.map((file): PlannedSource => ({ path: file })),
          evidence: `Ansible ${joinPath(dir, env)}${all.length > 0 ? ` over ${joinPath(dir, 'all')}` : ''}`,
          files,
        });
      }
    }
    return { matches, unplaced };
  },
};
