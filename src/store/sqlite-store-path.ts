import path from 'node:path';

/**
 * Where the SQLite store lives, relative to the config directory. Apart from
 * open-store.ts so that asking "is there a history yet?" loads no database driver.
 */
export const SQLITE_STORE_PATH = path.join('.driftwatch', 'driftwatch.db');
