import { plural } from '../plural.js';
import { annotationsOf } from '../report/github.js';
import type { Report, Severity } from '../report/report.js';
import { SEVERITIES } from '../report/report.js';
import { workflowCommand } from '../report/workflow-command.js';

/** GitHub shows at most this many annotations of each level from one step, and drops the rest unsaid. */
export const ANNOTATIONS_PER_LEVEL = 10;

/**
 * The report's annotations, at most `limit` of each level. Where a level has
 * more, its last one says how many were left out, so the cap is never silent;
 * the job summary lists them all.
 */
export function cappedAnnotations(report: Report, limit = ANNOTATIONS_PER_LEVEL): string[] {
  const all = annotationsOf(report);
  const lines: string[] = [];
  for (const level of SEVERITIES) {
    const ofLevel = all.filter((annotation) => annotation.level === level);
    if (ofLevel.length <= limit) {
      lines.push(...ofLevel.map((annotation) => annotation.command));
      continue;
    }
    const shown = ofLevel.slice(0, limit - 1);
    lines.push(...shown.map((annotation) => annotation.command));
    lines.push(moreLine(level, ofLevel.length - shown.length));
  }
  return lines;
}

function moreLine(level: Severity, count: number): string {
  return workflowCommand(
    level,
    { title: 'driftwatch' },
    `… and ${plural(count, `more ${level}`)} not annotated (GitHub shows ${ANNOTATIONS_PER_LEVEL} of each level per step); the job summary lists them all`,
  );
}
