import { readFile } from 'node:fs/promises';
import * as z from 'zod';
import { compareCodeUnits } from '../compare-code-units.js';
import { ConfigError } from '../errors.js';
import type { Finding } from '../report/report.js';
import { describeReadError } from '../sources/file-tree.js';

/**
 * Findings a team already knows about. With `check --baseline`, they are
 * reported as known and do not fail the gate; only new findings do.
 */
export const BaselineFile = z.strictObject({
  version: z.literal(1),
  findings: z.array(
    z.strictObject({
      id: z.string().min(1),
      rule: z.string(),
      key: z.string(),
      envs: z.array(z.string()),
    }),
  ),
});
export type BaselineFile = z.infer<typeof BaselineFile>;

export function baselineOf(findings: readonly Finding[]): BaselineFile {
  const unique = new Map(findings.map((finding) => [finding.id, finding]));
  return {
    version: 1,
    findings: [...unique.values()]
      .map(({ id, rule, key, envs }) => ({ id, rule, key, envs: [...envs] }))
      .sort((a, b) => compareCodeUnits(a.id, b.id)),
  };
}

export async function readBaseline(file: string, displayName: string): Promise<Set<string>> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new ConfigError([{ file: displayName, message: `cannot read the baseline: ${describeReadError(error)}` }]);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ConfigError([
      { file: displayName, message: `the baseline is not valid JSON: ${(error as Error).message}` },
    ]);
  }
  const parsed = BaselineFile.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
    throw new ConfigError([
      {
        file: displayName,
        message: `not a driftwatch baseline (${where}${issue?.message}); write one with driftwatch baseline`,
      },
    ]);
  }
  return new Set(parsed.data.findings.map((finding) => finding.id));
}

export function markBaseline(findings: readonly Finding[], known: ReadonlySet<string>): Finding[] {
  return findings.map((finding) => (known.has(finding.id) ? { ...finding, baseline: true } : finding));
}
