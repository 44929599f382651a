import { loadServerSettings } from '../server/settings.js';
import { type StartServiceOptions, startService } from '../server/start-server.js';
import { EXIT } from './exit-codes.js';
import type { Io } from './io.js';

export interface ServeCommandOptions {
  readonly config?: string;
}

/** What the command composes beyond the settings: the PR analysis, and what tests change. */
export type ServeParts = Omit<StartServiceOptions, 'settings'>;

/**
 * `driftwatch serve`: reads the settings from the environment (a bad one stops
 * start-up, one line each, exit 2), starts the service, and returns once a
 * signal has drained and stopped it.
 */
export async function serveCommand(options: ServeCommandOptions, io: Io, parts: ServeParts = {}): Promise<number> {
  const settings = loadServerSettings(io.env, {
    ...(options.config === undefined ? {} : { configFile: options.config }),
    cwd: io.cwd,
  });
  const service = await startService({ settings, logDestination: io.stdout, ...parts });
  await service.stopped;
  return EXIT.OK;
}
