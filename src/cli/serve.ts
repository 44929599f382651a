import path from 'node:path';
import { openDiskWorkspace } from '../check/workspace.js';
import { scheduledWorkOf } from '../server/scheduled-jobs.js';
import { loadServerSettings, type ServerSettings } from '../server/settings.js';
import { type StartServiceOptions, startService } from '../server/start-server.js';
import type { SlackDeliveryOptions } from '../slack/slack-channel.js';
import { EXIT } from './exit-codes.js';
import type { Io } from './io.js';

export interface ServeCommandOptions {
  readonly config?: string;
}

/** What the command composes beyond the settings: the PR analysis, and what tests change. */
export type ServeParts = Omit<StartServiceOptions, 'settings' | 'scheduled'> & {
  /** For tests: faster Slack retries and timeouts than Slack deserves. */
  readonly slackDelivery?: Omit<SlackDeliveryOptions, 'webhook'>;
};

/**
 * `driftwatch serve`: reads the settings from the environment (a bad one stops
 * start-up, one line each, exit 2), and with `-c FILE` the config, whose
 * `snapshot.schedule` and `report.schedule` it runs (a bad config, cron
 * expression or time zone stops start-up the same way, naming file, line and
 * column); starts the service, and returns once a signal has drained and
 * stopped it.
 */
export async function serveCommand(options: ServeCommandOptions, io: Io, parts: ServeParts = {}): Promise<number> {
  const settings = loadServerSettings(io.env, {
    ...(options.config === undefined ? {} : { configFile: options.config }),
    cwd: io.cwd,
  });
  const { slackDelivery, ...rest } = parts;
  let scheduled: StartServiceOptions['scheduled'];
  if (options.config !== undefined) {
    const workspace = await openDiskWorkspace({
      configFile: path.resolve(io.cwd, options.config),
      displayName: options.config,
      env: historyEnv(io.env, settings),
    });
    scheduled = scheduledWorkOf(workspace, slackDelivery);
  }
  const service = await startService({
    settings,
    logDestination: io.stdout,
    ...rest,
    ...(scheduled === undefined ? {} : { scheduled }),
  });
  await service.stopped;
  return EXIT.OK;
}

/**
 * The environment the scheduled work sees: the process's, with the history
 * pointed at the service's own database, so that what a check reads and
 * records of the history (first sightings, the shrink guard) is the store the
 * rounds and reports write — also when the service found it in DATABASE_URL.
 */
function historyEnv(env: Io['env'], settings: ServerSettings): Io['env'] {
  if (settings.database === undefined) return env;
  return { ...env, DRIFTWATCH_DATABASE_URL: settings.database.url, DRIFTWATCH_DATABASE_SCHEMA: settings.historySchema };
}
