/**
 * Expected failures are typed: the CLI maps them to exit codes and prints them
 * without a stack trace. Anything else that escapes is a bug and says so.
 */

/** One thing wrong with the user's input, located as precisely as we can. */
export interface Problem {
  readonly message: string;
  /** The source that failed, as written in the config (`config/*.yaml`, `git:origin/main:app.yaml`). */
  readonly source?: string;
  readonly file?: string;
  readonly line?: number;
  readonly column?: number;
}

export type ErrorCode = 'CONFIG_ERROR' | 'SOURCE_ERROR' | 'PARSE_ERROR' | 'USAGE_ERROR';

export class DriftwatchError extends Error {
  readonly code: ErrorCode;
  readonly problems: readonly Problem[];

  constructor(code: ErrorCode, problems: readonly Problem[]) {
    super(problems.map(formatProblem).join('\n'));
    this.name = 'DriftwatchError';
    this.code = code;
    this.problems = problems;
  }
}

/** A text could not be parsed; `file` is the origin passed to the format. */
export class ParseError extends DriftwatchError {
  constructor(problems: readonly Problem[]) {
    super('PARSE_ERROR', problems);
    this.name = 'ParseError';
  }
}

/** driftwatch.yaml or a rule pack is invalid. */
export class ConfigError extends DriftwatchError {
  constructor(problems: readonly Problem[]) {
    super('CONFIG_ERROR', problems);
    this.name = 'ConfigError';
  }
}

/** A source could not be read: missing file, empty glob, HTTP 500, command exit 1. */
export class SourceError extends DriftwatchError {
  constructor(problems: readonly Problem[]) {
    super('SOURCE_ERROR', problems);
    this.name = 'SourceError';
  }
}

/** The command line itself is wrong (unknown environment, missing argument). */
export class UsageError extends DriftwatchError {
  constructor(message: string) {
    super('USAGE_ERROR', [{ message }]);
    this.name = 'UsageError';
  }
}

/** `file:line:column: message`, the form editors and terminals make clickable. */
export function formatProblem(problem: Problem): string {
  const where = [problem.file ?? problem.source, problem.line, problem.line ? problem.column : undefined]
    .filter((part) => part !== undefined && part !== '')
    .join(':');
  return where ? `${where}: ${problem.message}` : problem.message;
}
