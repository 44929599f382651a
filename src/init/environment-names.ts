/**
 * Names environments commonly go by. A layout whose file names mark the
 * environment (`values-<env>.yaml`, `.env.<env>`, `overlays/<env>/`) takes any
 * name; a layout where the same place holds other files too (`config/<name>.json`
 * beside `config/database.json`, `<name>.env` beside `app.env`) takes only these.
 */
const ENVIRONMENT_NAMES: ReadonlyMap<string, number> = new Map([
  ['local', 0],
  ['dev', 1],
  ['develop', 1],
  ['development', 1],
  ['devenv', 1],
  ['ci', 2],
  ['test', 2],
  ['testing', 2],
  ['qa', 3],
  ['uat', 3],
  ['sit', 3],
  ['integration', 3],
  ['int', 3],
  ['alpha', 3],
  ['beta', 3],
  ['demo', 3],
  ['preview', 3],
  ['review', 3],
  ['sandbox', 3],
  ['internal', 3],
  ['perf', 3],
  ['stage', 4],
  ['staging', 4],
  ['stg', 4],
  ['preprod', 5],
  ['pre-prod', 5],
  ['preproduction', 5],
  ['canary', 6],
  ['prod', 7],
  ['prd', 7],
  ['production', 7],
  ['live', 7],
]);

/** Whether a name, found where other files are too, is one environments go by (`staging`, `prod`). */
export function isCommonEnvironmentName(name: string): boolean {
  return ENVIRONMENT_NAMES.has(name.toLowerCase());
}

/** Where an environment goes in the written config: from development towards production, the rest between. */
export function environmentRank(name: string): number {
  return ENVIRONMENT_NAMES.get(name.toLowerCase()) ?? 3.5;
}
