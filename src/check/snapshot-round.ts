import { formatProblem } from '../errors.js';
import type { ReportError } from '../report/report.js';
import { scrubProblem } from '../snapshot/scrub.js';
import type { SnapshotRound } from '../store/snapshot-rounds.js';
import type { Store } from '../store/store.js';
import { snapshotEnvironments } from './snapshot-environments.js';
import type { Workspace } from './workspace.js';

/** What a suspicious scheduled snapshot says to do about it. */
export const SCHEDULED_SHRINK_HINT =
  'kept out of the history; if the shrink is intended, store it with driftwatch snapshot --all --store --accept-shrink';

export interface SnapshotRoundOptions {
  /** The schedule's occurrence (ISO 8601 UTC): a round runs once per occurrence, whoever runs it. */
  readonly occurrence: string;
  /** When the snapshots are taken; now by default. */
  readonly now?: Date;
}

export interface SnapshotRoundResult {
  /** Every environment of the config, in its order: what this run recorded, or what an earlier run of the occurrence did. */
  readonly rounds: readonly (SnapshotRound & { readonly known: boolean })[];
  /** Snapshots retention deleted after the round. */
  readonly pruned: number;
}

/**
 * One scheduled snapshot round: every environment of the workspace, live
 * sources included (`url`, `command`, `env`, `git`), recorded in `store` once
 * per occurrence. An environment a source of which fails is recorded as a
 * failed round with its scrubbed problems, and nothing of it is stored: the
 * history's latest snapshot stays the last complete one, and is never taken
 * for this one. A snapshot that shrank suspiciously is recorded as suspicious
 * and kept out of the history. Environments an earlier run of the occurrence
 * recorded (a retry, a second replica) are not taken again.
 */
export async function snapshotRound(
  workspace: Workspace,
  store: Store,
  options: SnapshotRoundOptions,
): Promise<SnapshotRoundResult> {
  const now = options.now ?? new Date();
  const { occurrence } = options;
  const names = workspace.config.environments.map((environment) => environment.name);
  const known = new Map((await store.snapshotRounds(occurrence)).map((round) => [round.env, round]));
  const missing = names.filter((name) => !known.has(name));
  const recorded = new Map<string, SnapshotRound & { readonly known: boolean }>();
  if (missing.length > 0) {
    const { results } = await snapshotEnvironments(workspace, missing);
    for (const { snapshot, problems } of results) {
      const recordedAt = now.toISOString();
      const outcome =
        problems.length > 0
          ? await store.recordSnapshotRound({
              occurrence,
              env: snapshot.env,
              recordedAt,
              problems: problems.map((problem) => scrubProblem(problem)),
            })
          : await store.recordSnapshotRound({
              occurrence,
              // The round's moment, not the instant the last source answered: rounds stay in time order.
              snapshot: { ...snapshot, takenAt: recordedAt },
              recordedAt,
              shrinkHint: SCHEDULED_SHRINK_HINT,
            });
      recorded.set(snapshot.env, { ...outcome.round, known: !outcome.created });
    }
  }
  const pruned = await store.prune({ keepDays: workspace.config.history.keepDays, now });
  const rounds = names.map((name) => {
    const fresh = recorded.get(name);
    if (fresh !== undefined) return fresh;
    const earlier = known.get(name);
    if (earlier === undefined) throw new Error(`snapshot round ${occurrence}: ${name} was not recorded`);
    return { ...earlier, known: true };
  });
  return { rounds, pruned: pruned.snapshotsDeleted };
}

/**
 * Failed and suspicious rounds as the report's "sources that could not be
 * read": one line per problem, leading with the occurrence and that nothing
 * of it was stored, then the problem as a terminal would show it.
 */
export function roundProblems(rounds: readonly SnapshotRound[]): ReportError[] {
  return rounds.flatMap((round) => {
    const what =
      round.status === 'failed'
        ? `the scheduled snapshot of ${round.occurrence} failed, nothing stored`
        : `the scheduled snapshot of ${round.occurrence} looked suspicious, not stored`;
    // What happened leads: a source's label (a whole command line) would push it out of a chat line.
    return round.problems.map(
      (problem): ReportError => ({ env: round.env, message: `${what}: ${formatProblem(problem)}` }),
    );
  });
}
