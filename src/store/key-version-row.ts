import type { Insertable, Selectable } from 'kysely';
import type { LeafValue, ValueType } from '../formats/format.js';
import type { Entry, Origin, SensitiveReason } from '../snapshot/snapshot.js';
import type { KeyVersionsTable } from './database.js';

export type KeyVersionRow = Selectable<KeyVersionsTable>;

/** The columns that make a version: a change in any of them starts a new one. The value is in the fingerprint. */
export const VERSION_IDENTITY_COLUMNS = [
  'fingerprint',
  'type',
  'sensitive',
  'sensitive_reason',
  'tag',
  'origin_source',
  'origin_file',
  'origin_line',
  'origin_column',
] as const;

export type KeyVersionIdentity = Pick<KeyVersionRow, (typeof VERSION_IDENTITY_COLUMNS)[number]>;

/** A new, open version of `entry`, first seen in `snapshotId`. Never carries a sensitive value. */
export function keyVersionRow(env: string, entry: Entry, snapshotId: number): Insertable<KeyVersionsTable> {
  return {
    env,
    key: entry.key,
    fingerprint: entry.fingerprint,
    type: entry.type,
    sensitive: entry.sensitive ? 1 : 0,
    sensitive_reason: entry.sensitiveReason ?? null,
    // Decided by `sensitive` alone, not by whether a value came along: a buggy caller must not leak one.
    value: entry.sensitive || entry.value === undefined ? null : JSON.stringify(entry.value),
    tag: entry.tag ?? null,
    origin_source: entry.origin.source,
    origin_file: entry.origin.file,
    origin_line: entry.origin.line ?? null,
    origin_column: entry.origin.column ?? null,
    first_snapshot_id: snapshotId,
  };
}

export function isSameVersion(row: KeyVersionIdentity, entry: Entry): boolean {
  return (
    row.fingerprint === entry.fingerprint &&
    row.type === entry.type &&
    Boolean(row.sensitive) === entry.sensitive &&
    (row.sensitive_reason ?? undefined) === entry.sensitiveReason &&
    (row.tag ?? undefined) === entry.tag &&
    row.origin_source === entry.origin.source &&
    row.origin_file === entry.origin.file &&
    (row.origin_line ?? undefined) === entry.origin.line &&
    (row.origin_column ?? undefined) === entry.origin.column
  );
}

type StoredFields = KeyVersionIdentity & Pick<KeyVersionRow, 'key' | 'value'>;

/** The entry a stored version stands for; sensitive entries come back without a value. */
export function entryFromRow(row: StoredFields): Entry {
  const sensitive = Boolean(row.sensitive);
  const value = storedValue(row);
  return {
    key: row.key,
    type: row.type as ValueType,
    ...(value === undefined ? {} : { value }),
    fingerprint: row.fingerprint,
    sensitive,
    ...(row.sensitive_reason === null ? {} : { sensitiveReason: row.sensitive_reason as SensitiveReason }),
    ...(row.tag === null ? {} : { tag: row.tag }),
    origin: originFromRow(row),
  };
}

export function originFromRow(
  row: Pick<KeyVersionRow, 'origin_source' | 'origin_file' | 'origin_line' | 'origin_column'>,
): Origin {
  return {
    source: row.origin_source,
    file: row.origin_file,
    ...(row.origin_line === null ? {} : { line: row.origin_line }),
    ...(row.origin_column === null ? {} : { column: row.origin_column }),
  };
}

/** The decoded value, or undefined when sensitive or absent. */
export function storedValue(row: Pick<KeyVersionRow, 'sensitive' | 'value'>): LeafValue | undefined {
  if (row.sensitive || row.value === null) return undefined;
  return JSON.parse(row.value) as LeafValue;
}
