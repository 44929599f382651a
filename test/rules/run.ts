import { alignSnapshots } from '../../src/compare/matrix.js';
import type { Problem } from '../../src/errors.js';
import type { Finding } from '../../src/report/report.js';
import { runRules } from '../../src/rules/engine.js';
import { parsePack } from '../../src/rules/load-packs.js';
import type { ReferenceContext } from '../../src/rules/rule.js';
import type { Snapshot } from '../../src/snapshot/snapshot.js';

/** Loads an inline pack (YAML text) and runs it over snapshots; throws on pack problems. */
export function runPack(
  packYaml: string,
  snapshots: readonly Snapshot[],
  options: { now?: Date; retiredKeys?: string[]; references?: ReferenceContext } = {},
): Finding[] {
  const problems: Problem[] = [];
  const loaded = parsePack(
    packYaml,
    'rules/test.yaml',
    { environments: snapshots.map((snapshot) => snapshot.env) },
    problems,
  );
  if (problems.length > 0) throw new Error(problems.map((problem) => `${problem.line}: ${problem.message}`).join('\n'));
  return runRules(loaded, alignSnapshots(snapshots), {
    now: options.now ?? new Date('2026-11-25T12:00:00Z'),
    retiredKeys: options.retiredKeys,
    ...(options.references ? { references: options.references } : {}),
  }).findings;
}

/** The parts of findings a test usually asserts on. */
export function brief(findings: readonly Finding[]) {
  return findings.map(({ rule, severity, key, envs }) => ({ rule, severity, key, envs }));
}
