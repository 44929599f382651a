import { createHash } from 'node:crypto';
import type { LeafValue, ValueType } from '../../src/formats/format.js';
import type { Entry, SensitiveReason, Snapshot } from '../../src/snapshot/snapshot.js';

type Cell =
  | LeafValue
  | {
      value?: LeafValue;
      secret: string;
      file?: string;
      line?: number;
      sourceKind?: 'path' | 'env';
      /** Files of `path` sources are tracked by git unless this says otherwise. */
      tracked?: boolean;
      reason?: SensitiveReason;
    };

function typeOf(value: LeafValue): ValueType {
  if (value === null) return 'null';
  return typeof value === 'number' ? 'number' : typeof value === 'boolean' ? 'boolean' : 'string';
}

/**
 * A snapshot from a plain object of key → value, for rule and reporter tests.
 * `{secret: 'x'}` makes a sensitive entry whose fingerprint is derived from
 * `x`; the secret itself is not kept, as in real snapshots.
 */
export function snapshotOf(env: string, keys: Record<string, Cell>, file = `${env}.yaml`): Snapshot {
  const entries = new Map<string, Entry>();
  let line = 1;
  for (const key of Object.keys(keys).sort()) {
    const cell = keys[key] as Cell;
    const origin = { source: file, sourceKind: 'path' as const, file, line: line++, tracked: true };
    if (cell !== null && typeof cell === 'object') {
      entries.set(key, {
        key,
        type: 'string',
        ...(cell.value !== undefined ? { value: cell.value } : {}),
        fingerprint: createHash('sha256').update(`string\u0000${cell.secret}`).digest('hex'),
        sensitive: true,
        sensitiveReason: cell.reason ?? 'key-name',
        origin: {
          ...origin,
          ...(cell.file ? { file: cell.file } : {}),
          ...(cell.line ? { line: cell.line } : {}),
          ...(cell.sourceKind ? { sourceKind: cell.sourceKind } : {}),
          tracked: cell.tracked ?? (cell.sourceKind ?? 'path') === 'path',
        },
      });
      continue;
    }
    const type = typeOf(cell);
    entries.set(key, {
      key,
      type,
      value: cell,
      fingerprint: createHash('sha256')
        .update(`${type}\u0000${JSON.stringify(cell)}`)
        .digest('hex'),
      sensitive: false,
      origin,
    });
  }
  return { env, takenAt: '2026-11-25T00:00:00.000Z', entries, sources: [] };
}
