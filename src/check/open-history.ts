import { existsSync } from 'node:fs';
import path from 'node:path';
import { openStore, SQLITE_STORE_PATH } from '../store/open-store.js';
import type { Store } from '../store/store.js';
import type { Env } from './workspace.js';

/**
 * The PostgreSQL URL of the history, if any: `DRIFTWATCH_DATABASE_URL`, else
 * `DATABASE_URL` when it is a `postgres://` URL. CI jobs often set
 * DATABASE_URL for the application itself (MySQL, say); that must not break
 * the gate, so any other DATABASE_URL is left alone and SQLite is used.
 */
export function historyDatabaseUrl(env: Env): string | undefined {
  const own = env.DRIFTWATCH_DATABASE_URL;
  if (own !== undefined && own !== '') return own;
  const shared = env.DATABASE_URL;
  if (shared !== undefined && /^postgres(?:ql)?:\/\//i.test(shared)) return shared;
  return undefined;
}

/**
 * Opens the snapshot history of the config in `configDir`: PostgreSQL when
 * historyDatabaseUrl() gives a URL, otherwise `.driftwatch/driftwatch.db` beside the config.
 * With `existing`, a SQLite file that is not there yet is not created, so that
 * commands which only read history (`check`, `history`) leave no database behind.
 */
export async function openHistory(configDir: string, env: Env, mode: 'create'): Promise<Store>;
export async function openHistory(configDir: string, env: Env, mode: 'existing'): Promise<Store | undefined>;
export async function openHistory(
  configDir: string,
  env: Env,
  mode: 'create' | 'existing',
): Promise<Store | undefined> {
  const databaseUrl = historyDatabaseUrl(env);
  const hasDatabaseUrl = databaseUrl !== undefined;
  if (mode === 'existing' && !hasDatabaseUrl && !existsSync(path.join(configDir, SQLITE_STORE_PATH))) {
    return undefined;
  }
  return openStore({ configDir, ...(hasDatabaseUrl ? { databaseUrl } : {}) });
}
