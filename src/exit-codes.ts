/** Exit codes of every command and of the GitHub Action; `check` adds FINDINGS. */
export const EXIT = {
  OK: 0,
  /** Findings at or above `--fail-on` (check), differences with `--exit-code` (diff). */
  FINDINGS: 1,
  /** The work could not be done: bad config, unreadable or unparsable source, bad arguments. Fail closed. */
  FAILED: 2,
} as const;
