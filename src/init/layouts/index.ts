import type { Layout } from '../layout.js';
import { ansibleLayout } from './ansible.js';
import { configFolderLayout } from './config-folder.js';
import { dotenvLayout } from './dotenv.js';
import { helmLayout } from './helm.js';
import { kustomizeLayout } from './kustomize.js';
import { springLayout } from './spring.js';

/** Every layout init knows, in the order their sources go into an environment. A new layout is one module and one line here. */
export const layouts: readonly Layout[] = [
  configFolderLayout,
  springLayout,
  helmLayout,
  kustomizeLayout,
  ansibleLayout,
  dotenvLayout,
];
