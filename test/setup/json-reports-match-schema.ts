/**
 * Every JSON report the test suite produces is checked against
 * schema/report.schema.json: the JSON reporter is wrapped for every test file,
 * and a test whose reports do not conform fails, whatever it asserts itself.
 * The reporter's own output is left as it is, so a test sees what users see.
 */
import { afterEach, expect, vi } from 'vitest';
import { reportSchemaErrors } from '../helpers/report-schema.js';

const mismatches: string[] = [];

vi.mock('../../src/report/json.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../src/report/json.js')>();
  const jsonReporter: typeof original.jsonReporter = (report, options) => {
    const output = original.jsonReporter(report, options);
    const errors = reportSchemaErrors(JSON.parse(output));
    if (errors.length > 0) mismatches.push(...errors);
    return output;
  };
  return { ...original, jsonReporter };
});

afterEach(() => {
  const found = mismatches.splice(0);
  expect(found, 'a JSON report this test produced does not match schema/report.schema.json').toEqual([]);
});
