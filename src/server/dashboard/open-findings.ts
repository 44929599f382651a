import type { Severity } from '../../report/report.js';
import type { Store } from '../../store/store.js';

export interface OpenFinding {
  readonly id: string;
  readonly severity: Severity;
  readonly rule: string;
  readonly key: string;
  readonly envs: readonly string[];
  /** When the history first saw it (ISO 8601 UTC); absent when it never recorded a sighting. */
  readonly firstSeen?: string;
  /** Whole days since `firstSeen`. */
  readonly ageDays?: number;
}

export interface OpenFindings {
  /** The delivered report the findings come from; absent when none was delivered yet. */
  readonly report?: { readonly createdAt: string; readonly deliveredAt: string };
  /** In report order: severity first. */
  readonly findings: readonly OpenFinding[];
}

const DAY_MS = 86_400_000;

/**
 * The findings open at the latest delivered drift report, with their age
 * from the history's first sightings. The store keeps findings only there
 * (ids, rules, keys, environments: never a value or a message), so the page
 * is as fresh as the report schedule.
 */
export async function openFindings(store: Store, now: Date): Promise<OpenFindings> {
  const report = await store.lastDeliveredReport();
  if (report === undefined) return { findings: [] };
  const firstSeen = await store.firstSightings(report.openFindings.map((finding) => finding.id));
  return {
    report: { createdAt: report.createdAt, deliveredAt: report.deliveredAt },
    findings: report.openFindings.map((finding) => {
      const seen = firstSeen.get(finding.id);
      const base = {
        id: finding.id,
        severity: finding.severity,
        rule: finding.rule,
        key: finding.key,
        envs: [...finding.envs],
      };
      if (seen === undefined) return base;
      return {
        ...base,
        firstSeen: seen,
        ageDays: Math.max(0, Math.floor((now.getTime() - Date.parse(seen)) / DAY_MS)),
      };
    }),
  };
}

/** How many open findings concern each key, for the matrix's rows. */
export function findingsByKey(open: OpenFindings): Map<string, number> {
  const counts = new Map<string, number>();
  for (const finding of open.findings) counts.set(finding.key, (counts.get(finding.key) ?? 0) + 1);
  return counts;
}
