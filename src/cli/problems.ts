import { formatProblem, type Problem } from '../errors.js';
import { scrubProblem } from '../snapshot/scrub.js';
import type { OutputStream } from './io.js';

/** Every problem on its own line, prefixed with the environment when known; secrets in the texts masked. */
export function printProblems(stream: OutputStream, problems: readonly (Problem & { readonly env?: string })[]): void {
  for (const problem of problems.map(scrubProblem)) {
    const env = problem.env ? `[${problem.env}] ` : '';
    stream.write(`error: ${env}${formatProblem(problem)}\n`);
  }
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
