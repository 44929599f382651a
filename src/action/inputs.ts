import { UsageError } from '../errors.js';
import type { FailOn } from '../report/build-report.js';

/** The inputs of action.yml, as the step gave them; paths are relative to `workingDirectory`. */
export interface ActionInputs {
  readonly config: string;
  readonly failOn: FailOn;
  readonly baseline?: string;
  /** Empty: every environment of the config. */
  readonly environments: readonly string[];
  readonly sarif?: string;
  readonly workingDirectory: string;
}

const FAIL_ON_LEVELS: readonly FailOn[] = ['error', 'warning', 'notice', 'never'];

/**
 * An input as the runner passes it: `INPUT_` and the name upper-cased, spaces
 * as `_`, dashes kept (`fail-on` is `INPUT_FAIL-ON`), surrounding whitespace
 * dropped. Unset and empty are the same: the runner fills in action.yml's
 * defaults, and a step may pass ''.
 */
export function actionInput(env: Readonly<Record<string, string | undefined>>, name: string): string | undefined {
  const value = env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

/** Reads and checks every input before any work is done; a bad one is a `UsageError` naming it. */
export function readInputs(env: Readonly<Record<string, string | undefined>>): ActionInputs {
  const failOn = actionInput(env, 'fail-on') ?? 'error';
  if (!(FAIL_ON_LEVELS as readonly string[]).includes(failOn)) {
    throw new UsageError(`input 'fail-on' is '${failOn}'; expected one of ${FAIL_ON_LEVELS.join(', ')}`);
  }
  const baseline = actionInput(env, 'baseline');
  const sarif = actionInput(env, 'sarif');
  return {
    config: actionInput(env, 'config') ?? 'driftwatch.yaml',
    failOn: failOn as FailOn,
    ...(baseline ? { baseline } : {}),
    // A list in YAML is one string to the runner: names separated by commas, spaces or lines.
    environments: (actionInput(env, 'environments') ?? '').split(/[\s,]+/).filter((name) => name !== ''),
    ...(sarif ? { sarif } : {}),
    workingDirectory: actionInput(env, 'working-directory') ?? '.',
  };
}
