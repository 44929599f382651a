import { describe, expect, it } from 'vitest';
import { junitReporter, SOURCES_SUITE } from '../../src/report/junit.js';
import type { Report } from '../../src/report/report.js';
import { childrenNamed, parseXml, type XmlElement } from './parse-xml.js';
import { cleanReport, HOSTILE_KEY, HOSTILE_MESSAGE, hostileFinding, sampleReport } from './sample-report.js';

function parse(report: Report): XmlElement {
  return parseXml(junitReporter(report, { color: false }));
}

function suite(root: XmlElement, name: string): XmlElement {
  const found = childrenNamed(root, 'testsuite').find((candidate) => candidate.attributes.name === name);
  if (!found) throw new Error(`no suite ${name}`);
  return found;
}

function only(element: XmlElement, name: string): XmlElement {
  const [child, ...others] = childrenNamed(element, name);
  if (!child || others.length > 0) throw new Error(`expected one <${name}> in <${element.name}>`);
  return child;
}

function counts(element: XmlElement) {
  const { tests, failures, errors, skipped } = element.attributes;
  return { tests: Number(tests), failures: Number(failures), errors: Number(errors), skipped: Number(skipped) };
}

describe('report/junit', () => {
  it('is well-formed XML with a driftwatch testsuites root', () => {
    const root = parse(sampleReport());
    expect(root.name).toBe('testsuites');
    expect(root.attributes.name).toBe('driftwatch');
    expect(junitReporter(sampleReport(), { color: false }).startsWith('<?xml version="1.0" encoding="UTF-8"?>\n')).toBe(
      true,
    );
  });

  it('has the source errors first, then one suite per rule, by id', () => {
    const names = childrenNamed(parse(sampleReport()), 'testsuite').map((element) => element.attributes.name);
    expect(names).toEqual([
      SOURCES_SUITE,
      'cache-parity',
      'no-shared-secrets',
      'retired-global-oauth',
      'same-feature-flags',
      'stale-keys',
      'unused-rule',
      'utc-everywhere',
    ]);
    expect(SOURCES_SUITE).toBe('driftwatch.sources');
  });

  it('counts tests, failures, errors and skipped correctly, in total and per suite', () => {
    const root = parse(sampleReport());
    // 2 source errors + 6 findings + 1 passing case for the rule that found nothing.
    expect(counts(root)).toEqual({ tests: 9, failures: 4, errors: 2, skipped: 1 });
    for (const element of childrenNamed(root, 'testsuite')) {
      const cases = childrenNamed(element, 'testcase');
      expect(counts(element), element.attributes.name).toEqual({
        tests: cases.length,
        failures: cases.filter((testCase) => childrenNamed(testCase, 'failure').length > 0).length,
        errors: cases.filter((testCase) => childrenNamed(testCase, 'error').length > 0).length,
        skipped: cases.filter((testCase) => childrenNamed(testCase, 'skipped').length > 0).length,
      });
    }
  });

  it('fails error and warning findings, with the severity as type', () => {
    const [testCase] = childrenNamed(suite(parse(sampleReport()), 'no-shared-secrets'), 'testcase');
    expect(testCase?.attributes).toEqual({ classname: 'no-shared-secrets', name: 'db.password [production, staging]' });
    const failure = only(testCase as XmlElement, 'failure');
    expect(failure.attributes).toEqual({ message: 'staging and production share the same value.', type: 'error' });
    expect(failure.text).toBe(
      [
        'error: staging and production share the same value.',
        'key: db.password',
        'environments: production, staging',
        'at production: config/production/db.yaml:7',
        'at staging: config/staging/db.yaml:7',
        'value in production: fp:1a2b3c4d',
        'value in staging: fp:1a2b3c4d',
      ].join('\n'),
    );
    const warning = only(only(suite(parse(sampleReport()), 'utc-everywhere'), 'testcase'), 'failure');
    expect(warning.attributes.type).toBe('warning');
  });

  it('passes notices, with their text in system-out', () => {
    const testCase = only(suite(parse(sampleReport()), 'stale-keys'), 'testcase');
    expect(childrenNamed(testCase, 'failure')).toEqual([]);
    expect(only(testCase, 'system-out').text).toBe(
      'notice: No code reads legacy.timeout.\nkey: legacy.timeout\nenvironments: staging',
    );
  });

  it('skips baseline findings as known in baseline', () => {
    const testCase = only(suite(parse(sampleReport()), 'cache-parity'), 'testcase');
    expect(testCase.attributes.name).toBe('cache.ttl [production]');
    expect(testCase.children).toEqual([
      { name: 'skipped', attributes: { message: 'known in baseline' }, children: [], text: '' },
    ]);
  });

  it('gives a rule with no findings one passing test case', () => {
    expect(childrenNamed(suite(parse(sampleReport()), 'unused-rule'), 'testcase')).toEqual([
      { name: 'testcase', attributes: { classname: 'unused-rule', name: 'no findings' }, children: [], text: '' },
    ]);
  });

  it('reports source errors as error test cases', () => {
    const cases = childrenNamed(suite(parse(sampleReport()), SOURCES_SUITE), 'testcase');
    expect(cases.map((testCase) => testCase.attributes.name)).toEqual([
      'production: config/production/broken.yaml',
      'production: https://config.internal/production.json',
    ]);
    const error = only(cases[0] as XmlElement, 'error');
    expect(error.attributes).toEqual({
      message: 'could not parse YAML: bad indentation of a mapping entry',
      type: 'source-error',
    });
    expect(error.text).toBe(
      'config/production/broken.yaml:3:7: could not parse YAML: bad indentation of a mapping entry',
    );
  });

  it('has no sources suite when every source was read', () => {
    const names = childrenNamed(parse(cleanReport()), 'testsuite').map((element) => element.attributes.name);
    expect(names).not.toContain(SOURCES_SUITE);
    expect(counts(parse(cleanReport()))).toEqual({ tests: 7, failures: 0, errors: 0, skipped: 0 });
  });

  it('escapes markup so that hostile strings read back exactly', () => {
    const testCase = only(suite(parse(sampleReport()), 'same-feature-flags'), 'testcase');
    expect(testCase.attributes.name).toBe(`${HOSTILE_KEY} [production, staging]`);
    const failure = only(testCase, 'failure');
    expect(failure.attributes.message).toBe(HOSTILE_MESSAGE);
    expect(failure.text).toContain('value in staging: on|off `tick` <img src=x onerror=alert(1)> & more');
    // The ESC character is not allowed in XML 1.0 and is dropped; CR and LF survive.
    expect(failure.text).toContain('value in production: 100%, on: yes\r\nnext[31mred');
  });

  it('drops characters XML 1.0 does not allow', () => {
    const finding = {
      ...hostileFinding(),
      key: 'nul\u0000 bell\u0007 lone\uD800 ok\u{1F600}',
      message: 'form\u000Cfeed',
    };
    const report: Report = { ...cleanReport(), findings: [finding], summary: { error: 0, warning: 1, notice: 0 } };
    const testCase = only(suite(parse(report), 'same-feature-flags'), 'testcase');
    expect(testCase.attributes.name).toBe('nul bell lone ok\u{1F600} [production, staging]');
    expect(only(testCase, 'failure').attributes.message).toBe('formfeed');
  });

  describe('the test parser', () => {
    it('rejects malformed XML, so the tests above mean something', () => {
      for (const bad of [
        '<a><b></a></b>',
        '<a x="1" x="2"/>',
        '<a>1 < 2</a>',
        '<a>AT&T</a>',
        '<a>&nbsp;</a>',
        '<a/><b/>',
        '<a>\u0001</a>',
        '<a x="<"/>',
      ]) {
        expect(() => parseXml(bad), bad).toThrow();
      }
    });
  });
});
