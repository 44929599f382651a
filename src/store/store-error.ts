import { DriftwatchError } from '../errors.js';

export type StoreErrorReason =
  /** The database URL is not a PostgreSQL URL we can parse. */
  | 'malformed-url'
  /** The PostgreSQL schema named for the history is not one driftwatch uses. */
  | 'malformed-schema'
  /** The database could not be reached, opened or migrated. */
  | 'unavailable'
  /** Another writer held the SQLite database for too long. */
  | 'busy'
  /** A snapshot older than the environment's latest stored one. */
  | 'out-of-order';

/**
 * The history store failed. Messages name the database with any password
 * masked (`postgres://app:***@db:5432/driftwatch`), never the password itself.
 */
export class StoreError extends DriftwatchError {
  readonly reason: StoreErrorReason;

  constructor(reason: StoreErrorReason, message: string, where: { readonly file?: string; readonly source?: string }) {
    super(reason === 'malformed-url' || reason === 'malformed-schema' ? 'CONFIG_ERROR' : 'SOURCE_ERROR', [
      { message, ...where },
    ]);
    this.name = 'StoreError';
    this.reason = reason;
  }
}
