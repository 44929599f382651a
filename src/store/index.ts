export { type OpenStoreOptions, openStore, SQLITE_STORE_PATH } from './open-store.js';
export { checkShrink, type ShrinkCheck } from './shrink-guard.js';
export type {
  KeyChange,
  KeyEvent,
  KeyHistoryOptions,
  PruneOptions,
  PruneResult,
  RemovedKey,
  SaveResult,
  Store,
  StoredSnapshot,
  WebhookDelivery,
} from './store.js';
export { StoreError, type StoreErrorReason } from './store-error.js';
