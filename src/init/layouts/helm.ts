import { folderOf, joinPath } from '../file-names.js';
import type { Layout, LayoutMatch } from '../layout.js';

/** `values-staging.yaml`, `tempo-values-production.yaml`, `values.prod.yml`. */
const ENV_VALUES = /^(?:(.+?)[-_.])?values[-_.]([A-Za-z0-9][A-Za-z0-9_.-]*?)\.ya?ml$/;

/**
 * Helm values files, one per environment, merged over the chart's (or the
 * release's) `values.yaml` beside them. Each chart, or each `<release>-values-`
 * family in one folder, is a group of its own.
 */
export const helmLayout: Layout = {
  id: 'helm',
  title: 'Helm values',
  detect(repository) {
    const matches: LayoutMatch[] = [];
    for (const file of repository.files) {
      const name = file.slice(file.lastIndexOf('/') + 1);
      const found = ENV_VALUES.exec(name);
      if (!found) continue;
      const [, release, env] = found as unknown as [string, string | undefined, string];
      const dir = folderOf(file);
      const base = [`${release ? `${release}-` : ''}values.yaml`, `${release ? `${release}-` : ''}values.yml`]
        .map((candidate) => joinPath(dir, candidate))
        .find((candidate) => repository.has(candidate));
      const files = base ? [base, file] : [file];
      const group = joinPath(dir, release ? `${release}-values` : 'values');
      matches.push({
        env,
        group,
        groupPrefix: release ?? (dir.split('/').at(-1) || 'values'),
        sources: files.map((path) => ({ path })),
        evidence: base ? `Helm ${file} over ${base}` : `Helm ${file}`,
        files,
      });
    }
    return { matches, unplaced: [] };
  },
};
