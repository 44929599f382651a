/** Where code reads configuration keys: scanning, matching reads to keys, stale and missing keys. */
export {
  DEFAULT_EXCLUDES,
  effectiveExcludes,
  MATCH_MODES,
  type MatchMode,
  ReferencesConfig,
  UserExtractorConfig,
} from './config.js';
export type {
  BuiltinExtractorId,
  ExtractedReference,
  Extraction,
  ReferenceExtractor,
  ReferenceStyle,
  UnresolvableSite,
} from './extractor.js';
export { type ExtractorSelector, extractorSelector, extractors } from './extractors.js';
export { type FileListing, type ListFilesOptions, type ListingStrategy, listFiles } from './list-files.js';
export { type KeyForms, keyForms, type ReadName, referenceMatchesKey, referencesByKey, relaxedForms } from './match.js';
export { type EnvironmentKeys, type MissingKey, missingKeys } from './missing-keys.js';
export { formatProgress, type ProgressOptions, type ProgressStream, progressPrinter } from './progress.js';
export {
  type ReferenceIndex,
  type ReferenceSite,
  type ScanOptions,
  type ScanProgress,
  type ScanThreads,
  type SkippedFiles,
  scanReferences,
  type UnresolvableReference,
  WORKER_THRESHOLD,
} from './scan.js';
export { MAX_FILE_BYTES } from './scan-file.js';
export { staleKeys } from './stale-keys.js';
