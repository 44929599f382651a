export { type OpenStoreOptions, openStore, SQLITE_STORE_PATH } from './open-store.js';
export type {
  DeliveredReport,
  DeliveryRecord,
  NewOutboxReport,
  OutboxFinding,
  OutboxReport,
  OutboxStatus,
  ReportClaim,
  ReportOutbox,
} from './report-outbox.js';
export { checkShrink, type ShrinkCheck } from './shrink-guard.js';
export type {
  NewSnapshotRound,
  RoundProblem,
  SnapshotRound,
  SnapshotRoundStatus,
  SnapshotRounds,
} from './snapshot-rounds.js';
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
