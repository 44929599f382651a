import type { Entry } from '../snapshot/snapshot.js';
import { isSameVersion, type KeyVersionIdentity } from './key-version-row.js';

export type OpenVersion = KeyVersionIdentity & { readonly id: number; readonly key: string };

export interface VersionChanges {
  /** Open versions whose key changed or disappeared. */
  readonly ended: number[];
  /** Entries that start a new version: new keys and changed ones. */
  readonly started: Entry[];
}

/** What storing `entries` as an environment's next snapshot does to its open versions; unchanged ones live on as they are. */
export function planVersionChanges(open: readonly OpenVersion[], entries: Iterable<Entry>): VersionChanges {
  const openByKey = new Map(open.map((version) => [version.key, version]));
  const ended: number[] = [];
  const started: Entry[] = [];
  for (const entry of entries) {
    const current = openByKey.get(entry.key);
    if (current !== undefined) {
      openByKey.delete(entry.key);
      if (isSameVersion(current, entry)) continue;
      ended.push(current.id);
    }
    started.push(entry);
  }
  for (const gone of openByKey.values()) ended.push(gone.id);
  return { ended, started };
}
