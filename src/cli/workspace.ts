import path from 'node:path';
import { openDiskWorkspace, type Workspace } from '../check/workspace.js';
import { DEFAULT_CONFIG_FILE } from '../config/load.js';
import type { Io } from './io.js';
import { printNotices } from './problems.js';

/**
 * The work tree's workspace: `--config` (default `./driftwatch.yaml`) relative
 * to the current directory. The config's notices (old spellings) go to stderr.
 */
export async function openWorkspace(configOption: string | undefined, io: Io): Promise<Workspace> {
  const file = path.resolve(io.cwd, configOption ?? DEFAULT_CONFIG_FILE);
  const workspace = await openDiskWorkspace({
    configFile: file,
    displayName: path.relative(io.cwd, file) || file,
    env: io.env,
  });
  printNotices(io.stderr, workspace.config.notices);
  return workspace;
}
