import type { Problem } from '../errors.js';
import type { Finding } from '../report/report.js';
import type { HistoryContext } from '../rules/rule.js';
import type { Snapshot } from '../snapshot/snapshot.js';
import { checkShrink } from '../store/shrink-guard.js';
import type { RemovedKey, Store } from '../store/store.js';
import { openHistory } from './open-history.js';
import type { Workspace } from './workspace.js';

export const NO_HISTORY_NOTICE =
  'history: no snapshots stored yet, so rules of kind removed-elsewhere find nothing (run driftwatch snapshot --all --store, e.g. daily)';

/** What `check` takes from the snapshot history, and gives back to it. */
export interface CheckHistory {
  /** What a reader should be told that is not a finding: "no snapshots stored yet". */
  readonly notices: readonly string[];
  /** For rules that need history (empty when nothing is stored yet); undefined when no rule does. */
  readonly context?: HistoryContext;
  /** Environments whose key count is not believable against their last stored snapshot. */
  shrinkProblems(snapshots: readonly Snapshot[]): Promise<(Problem & { readonly env: string })[]>;
  /** Records the findings as seen at `now`, and gives each the date it was first seen. */
  withFirstSeen(findings: readonly Finding[], now: Date): Promise<Finding[]>;
  close(): Promise<void>;
}

export interface CheckHistoryOptions {
  /** A loaded rule needs history (`removed-elsewhere`). */
  readonly needsHistory: boolean;
  /**
   * Say so when nothing is stored yet. Only for history rules the user wrote:
   * the recommended pack's would otherwise make every first check say it, and
   * a notice on every run is noise, not signal.
   */
  readonly sayWhenEmpty?: boolean;
  /** `--accept-shrink`: a suspicious shrink is not an error. */
  readonly acceptShrink?: boolean;
}

/**
 * Opens the history for a check if there is one: a PostgreSQL history is
 * configured (DRIFTWATCH_DATABASE_URL, history.database), or a SQLite file was
 * created by `snapshot --store`. A plain check creates no
 * database; without one, rules that need history see an empty history, and
 * a notice says so, so that a silent pass is not mistaken for a checked one.
 */
export async function openCheckHistory(workspace: Workspace, options: CheckHistoryOptions): Promise<CheckHistory> {
  const { config } = workspace;
  const store = await openHistory(config, workspace.env, 'existing');
  let context: HistoryContext | undefined;
  const notices: string[] = [];
  if (options.needsHistory) {
    try {
      const stored = store ? await store.environments() : [];
      const removedKeys = new Map<string, RemovedKey[]>();
      if (store) {
        for (const { name } of config.environments) removedKeys.set(name, await store.removedKeys(name));
      }
      context = { removedKeys };
      if (stored.length === 0 && options.sayWhenEmpty === true) notices.push(NO_HISTORY_NOTICE);
    } catch (error) {
      await store?.close();
      throw error;
    }
  }
  if (!store) return { ...(context ? { context } : {}), ...withoutStore, notices };
  return {
    ...(context ? { context } : {}),
    notices,
    shrinkProblems: (snapshots) => (options.acceptShrink ? Promise.resolve([]) : shrinkProblems(store, snapshots)),
    withFirstSeen: (findings, now) => withFirstSeen(store, findings, now),
    close: () => store.close(),
  };
}

/** What a check uses when there is no history to read. */
export const withoutStore: Omit<CheckHistory, 'context'> = {
  notices: [],
  shrinkProblems: async () => [],
  withFirstSeen: async (findings) => [...findings],
  close: async () => undefined,
};

async function shrinkProblems(store: Store, snapshots: readonly Snapshot[]) {
  const problems: (Problem & { readonly env: string })[] = [];
  for (const snapshot of snapshots) {
    const previous = await store.latestSnapshot(snapshot.env);
    const guard = checkShrink(previous?.keyCount, snapshot.entries.size, snapshot.env);
    if (!guard.ok) problems.push({ env: snapshot.env, source: 'history', message: guard.reason });
  }
  return problems;
}

async function withFirstSeen(store: Store, findings: readonly Finding[], now: Date): Promise<Finding[]> {
  const firstSeen = await store.recordFindings(
    findings.map((finding) => finding.id),
    now.toISOString(),
  );
  return findings.map((finding) => {
    const seen = firstSeen.get(finding.id);
    // Reports say since which day (the contract's ISO date); the time of day adds nothing to a reader.
    return seen === undefined ? finding : { ...finding, firstSeen: seen.slice(0, 10) };
  });
}
