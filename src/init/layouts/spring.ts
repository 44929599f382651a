import { folderOf, joinPath } from '../file-names.js';
import type { Layout, LayoutMatch } from '../layout.js';

const PROFILE_FILE = /^application-([A-Za-z0-9][A-Za-z0-9_.-]*)\.(ya?ml|properties)$/;
const BASE_FILES = ['application.yml', 'application.yaml', 'application.properties'];

/**
 * Spring Boot profiles: `application-<env>.yml` (or `.properties`) merged
 * over `application.yml` in the same folder. Each module (the folder above
 * `src/main/resources`) is a group.
 */
export const springLayout: Layout = {
  id: 'spring',
  title: 'Spring Boot profiles',
  detect(repository) {
    const matches: LayoutMatch[] = [];
    for (const file of repository.files) {
      const name = file.slice(file.lastIndexOf('/') + 1);
      const found = PROFILE_FILE.exec(name);
      if (!found) continue;
      const env = found[1] as string;
      const dir = folderOf(file);
      const bases = BASE_FILES.map((base) => joinPath(dir, base)).filter((base) => repository.has(base));
      const files = [...bases, file];
      const module = dir.replace(/\/?src\/main\/resources(\/config)?$/, '');
      matches.push({
        env,
        group: dir,
        groupPrefix: module.split('/').at(-1) || 'application',
        sources: files.map((path) => ({ path })),
        evidence:
          bases.length > 0
            ? `Spring profile ${file} over ${bases.join(', ')}`
            : `Spring profile ${file} (no application.yml beside it)`,
        files,
      });
    }
    return { matches, unplaced: [] };
  },
};
