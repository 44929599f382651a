import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';

const schema = JSON.parse(
  readFileSync(path.resolve(import.meta.dirname, '../../schema/report.schema.json'), 'utf8'),
) as Record<string, unknown>;

/** schema/report.schema.json, compiled strictly: the contract `--format json` promises. */
export const validateReport = new Ajv2020({ allErrors: true, strict: true }).compile(schema);

/** What the schema finds wrong with one JSON report, as readable lines; empty when it conforms. */
export function reportSchemaErrors(output: unknown): string[] {
  if (validateReport(output)) return [];
  return (validateReport.errors ?? []).map(
    (error) => `${error.instancePath || '/'} ${error.message ?? ''} ${JSON.stringify(error.params)}`,
  );
}
