import { formatProblem, type Problem } from '../errors.js';
import { terminalSafe } from '../report/terminal-safe.js';
import { scrubProblem } from '../snapshot/scrub.js';
import type { OutputStream } from './io.js';

/**
 * Every problem on its own line, prefixed with the environment when known.
 * Secrets in the texts are masked; messages quote outside text (a command's
 * stderr, a key), so they are escaped line by line.
 */
export function printProblems(stream: OutputStream, problems: readonly (Problem & { readonly env?: string })[]): void {
  for (const problem of problems.map(scrubProblem)) {
    const env = problem.env ? `[${problem.env}] ` : '';
    stream.write(`error: ${env}${formatProblem(problem).split('\n').map(terminalSafe).join('\n')}\n`);
  }
}

/** What deserves a word though nothing is wrong (an old spelling that still works), one per line. */
export function printNotices(stream: OutputStream, notices: readonly Problem[]): void {
  for (const notice of notices.map(scrubProblem)) stream.write(`warning: ${terminalSafe(formatProblem(notice))}\n`);
}

/** The JSON shape of a problem, as in the report contract's `errors`. */
export function problemToJson(unscrubbed: Problem & { readonly env?: string }) {
  const problem = scrubProblem(unscrubbed);
  return {
    ...(problem.env ? { env: problem.env } : {}),
    ...(problem.source ? { source: problem.source } : {}),
    message: problem.message,
    ...(problem.file ? { file: problem.file } : {}),
    ...(problem.line ? { line: problem.line } : {}),
    ...(problem.column ? { column: problem.column } : {}),
  };
}
