import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Config } from '../config/load.js';
import { fillDatabaseUrl, HISTORY_SCHEMA_PATTERN } from '../store/database-url.js';
import { SQLITE_STORE_PATH } from '../store/sqlite-store-path.js';
import type { Store } from '../store/store.js';
import { StoreError } from '../store/store-error.js';
import type { Env } from './workspace.js';

/** Where the CLI keeps the history on PostgreSQL, and how messages name the setting it came from. */
export interface HistoryDatabase {
  readonly url: string;
  /** `DRIFTWATCH_DATABASE_URL`, or `history.database in driftwatch.yaml`. */
  readonly name: string;
  readonly schema: string;
}

/**
 * The CLI's policy: `DRIFTWATCH_DATABASE_URL`, else `history.database` from
 * driftwatch.yaml (its `${VAR}`s filled from the environment), else none (the
 * SQLite file). `DATABASE_URL` is never read: it is usually the
 * application's own database, and driftwatch must not put its tables there.
 * The variables win over the file so that one job can point elsewhere without
 * editing what is committed: `DRIFTWATCH_DATABASE_SCHEMA` likewise names the
 * schema instead of `history.schema`.
 */
export function historyDatabase(
  config: Pick<Config, 'history' | 'displayName'>,
  env: Env,
): HistoryDatabase | undefined {
  const schema = historySchema(config, env);
  const own = env.DRIFTWATCH_DATABASE_URL;
  if (own !== undefined && own !== '') return { url: own, name: 'DRIFTWATCH_DATABASE_URL', schema };
  const template = config.history.database;
  if (template === undefined) return undefined;
  const name = `history.database in ${config.displayName}`;
  const filled = fillDatabaseUrl(template, env);
  if (!filled.ok) {
    throw new StoreError('malformed-url', `uses \${${filled.missing}}, which is not set in the environment`, {
      source: name,
    });
  }
  return { url: filled.url, name, schema };
}

function historySchema(config: Pick<Config, 'history'>, env: Env): string {
  const own = env.DRIFTWATCH_DATABASE_SCHEMA;
  if (own === undefined || own === '') return config.history.schema;
  if (!HISTORY_SCHEMA_PATTERN.test(own)) {
    throw new StoreError(
      'malformed-schema',
      'a schema name is lower-case letters, digits and _, starting with a letter or _ (e.g. driftwatch)',
      { source: 'DRIFTWATCH_DATABASE_SCHEMA' },
    );
  }
  return own;
}

/**
 * Opens the snapshot history of a config: PostgreSQL when historyDatabase()
 * names one, otherwise `.driftwatch/driftwatch.db` beside the config. With
 * `existing`, a SQLite file that is not there yet is not created, so that
 * commands which only read history (`check`, `history`) leave no database
 * behind — and load no database driver.
 */
export async function openHistory(config: Config, env: Env, mode: 'create'): Promise<Store>;
export async function openHistory(config: Config, env: Env, mode: 'existing'): Promise<Store | undefined>;
export async function openHistory(config: Config, env: Env, mode: 'create' | 'existing'): Promise<Store | undefined> {
  const database = historyDatabase(config, env);
  if (mode === 'existing' && !database && !existsSync(path.join(config.dir, SQLITE_STORE_PATH))) return undefined;
  const { openStore } = await import('../store/open-store.js');
  return openStore({
    configDir: config.dir,
    ...(database ? { databaseUrl: database.url, databaseUrlName: database.name, schema: database.schema } : {}),
  });
}
