import { describe, expect, it } from 'vitest';
import { buildReportDigest, type DigestInput } from '../../src/check/report-digest.js';
import { digestHeadline, type ReportDigest } from '../../src/report/digest.js';
import { digestRenderers } from '../../src/report/digest-renderers.js';
import type { Finding, Report } from '../../src/report/report.js';

const NOW = new Date('2026-11-25T07:30:00.000Z');

function finding(id: string, overrides: Partial<Finding> = {}): Finding {
  return {
    id,
    rule: 'parity',
    kind: 'parity',
    severity: 'warning',
    key: `KEY_${id}`,
    envs: ['production'],
    message: `a message with a value that must not travel: secret-${id}`,
    locations: [{ env: 'production', file: 'production.env', line: 1 }],
    values: { production: `value-${id}` },
    ...overrides,
  };
}

function report(findings: Finding[], errors: Report['errors'] = []): Report {
  const summary = { error: 0, warning: 0, notice: 0 };
  for (const item of findings) if (!item.baseline) summary[item.severity]++;
  return {
    version: 1,
    environments: [
      { name: 'staging', keys: 20, sources: [] },
      { name: 'production', keys: 24, sources: [] },
    ],
    findings,
    errors,
    summary,
    rules: [],
  };
}

function digest(input: Partial<DigestInput> & Pick<DigestInput, 'report'>): ReportDigest {
  return buildReportDigest({ incomplete: false, firstSeen: new Map(), now: NOW, timezone: 'UTC', ...input });
}

describe('check/report-digest', () => {
  const a = finding('a', { severity: 'error', envs: ['production', 'staging'] });
  const b = finding('b');
  const c = finding('c', { severity: 'notice', envs: ['staging'] });

  it('finds new and resolved by finding id against the last delivered report', () => {
    const result = digest({
      report: report([a, c]),
      previous: { createdAt: '2026-11-24T07:30:00.000Z', openFindings: [a, b] },
      firstSeen: new Map([
        ['a', '2026-10-01T12:00:00.000Z'],
        ['c', '2026-11-25T06:00:00.000Z'],
      ]),
    });
    expect(result).toEqual({
      version: 1,
      at: '2026-11-25T07:30:00.000Z',
      timezone: 'UTC',
      complete: true,
      open: { error: 1, warning: 0, notice: 1 },
      environments: [
        { name: 'staging', keys: 20, findings: { error: 1, warning: 0, notice: 1 } },
        { name: 'production', keys: 24, findings: { error: 1, warning: 0, notice: 0 } },
      ],
      since: { at: '2026-11-24T07:30:00.000Z' },
      new: [
        {
          id: 'c',
          severity: 'notice',
          rule: 'parity',
          key: 'KEY_c',
          envs: ['staging'],
          firstSeen: '2026-11-25T06:00:00.000Z',
          ageDays: 0,
        },
      ],
      resolved: [{ id: 'b', severity: 'warning', rule: 'parity', key: 'KEY_b', envs: ['production'] }],
      oldest: [
        {
          id: 'a',
          severity: 'error',
          rule: 'parity',
          key: 'KEY_a',
          envs: ['production', 'staging'],
          firstSeen: '2026-10-01T12:00:00.000Z',
          ageDays: 54,
        },
        expect.objectContaining({ id: 'c', ageDays: 0 }),
      ],
      top: [expect.objectContaining({ id: 'a' }), expect.objectContaining({ id: 'c' })],
      openCount: 2,
      failedSources: [],
      quiet: false,
    });
    // Neither a message nor a value reaches the digest.
    expect(JSON.stringify(result)).not.toMatch(/secret-|value-/);
    expect(digestHeadline(result)).toBe('driftwatch: 1 new, 1 resolved · 2 open');
  });

  it('calls every open finding new in the first report, and a day without changes quiet', () => {
    const first = digest({ report: report([a, b]) });
    expect(first.new.map((item) => item.id)).toEqual(['a', 'b']);
    expect([first.quiet, digestHeadline(first)]).toEqual([false, 'driftwatch: first report, 2 open']);

    const quiet = digest({ report: report([a, b]), previous: { createdAt: NOW.toISOString(), openFindings: [b, a] } });
    expect([quiet.quiet, digestHeadline(quiet)]).toEqual([true, 'driftwatch: still 2 open, none new']);
    const clean = digest({ report: report([]), previous: { createdAt: NOW.toISOString(), openFindings: [] } });
    expect([clean.quiet, digestHeadline(clean)]).toEqual([true, 'driftwatch: still clean']);
  });

  it('lists scheduled snapshots that failed since the last report with the failed sources; such a day is not quiet', () => {
    const problem = {
      env: 'production',
      message: 'the scheduled snapshot of 2026-11-25T06:00:00.000Z failed, nothing stored: url: answered 503',
    };
    const result = digest({
      report: report([a, b]),
      previous: { createdAt: NOW.toISOString(), openFindings: [b, a] },
      snapshotProblems: [problem],
    });
    expect([result.complete, result.quiet, result.failedSources]).toEqual([true, false, [problem]]);
    expect(digestRenderers.text(result)).toContain(
      'Sources that could not be read (1)\n  [production] the scheduled snapshot of 2026-11-25T06:00:00.000Z failed, nothing stored: url: answered 503',
    );
  });

  it('says nothing about findings when the check could not be completed, and is never quiet then', () => {
    const failed = digest({
      report: report([], [{ env: 'production', source: 'https://config.internal/api', message: 'HTTP 500' }]),
      incomplete: true,
      previous: { createdAt: NOW.toISOString(), openFindings: [a, b] },
    });
    expect([failed.complete, failed.quiet, failed.new, failed.resolved, failed.openCount]).toEqual([
      false,
      false,
      [],
      [],
      0,
    ]);
    expect(digestHeadline(failed)).toBe('driftwatch: the check could not be completed (1 source problem)');
  });

  it('leaves findings known from a baseline out', () => {
    const result = digest({ report: report([a, { ...b, baseline: true }]) });
    expect(result.top.map((item) => item.id)).toEqual(['a']);
    expect(result.openCount).toBe(1);
  });
});

describe('report/digest renderers', () => {
  const result = digest({
    report: report([
      finding('a', { severity: 'error', envs: ['production', 'staging'], key: 'oauth.global.client_id' }),
      finding('c', { key: 'FEATURE_<b>|*x*', envs: ['staging'] }),
    ]),
    previous: {
      createdAt: '2026-11-24T07:30:00.000Z',
      openFindings: [
        finding('a', { severity: 'error', envs: ['production', 'staging'], key: 'oauth.global.client_id' }),
        finding('b'),
      ],
    },
    firstSeen: new Map([
      ['a', '2026-10-01T12:00:00.000Z'],
      ['c', '2026-11-25T06:00:00.000Z'],
    ]),
    timezone: 'Europe/Berlin',
    link: 'https://ci.example.test/jobs/42',
  });

  it('renders text for a terminal', () => {
    expect(digestRenderers.text(result)).toBe(
      [
        'driftwatch: 1 new, 1 resolved · 2 open',
        'Built 2026-11-25 08:30 (Europe/Berlin)',
        '',
        '2 open: 1 error, 1 warning, 0 notices',
        '  staging        2 open  (20 keys)',
        '  production     1 open  (24 keys)',
        'Since the last report (2026-11-24 08:30): 1 new, 1 resolved',
        '',
        'New since the last report (1)',
        '  WARNING  FEATURE_<b>|*x*  [staging]  parity',
        '',
        'Resolved (1)',
        '  WARNING  KEY_b  [production]  parity',
        '',
        'Open longest',
        '  54 days    ERROR    oauth.global.client_id  [production, staging]  parity  since 2026-10-01',
        '  today      WARNING  FEATURE_<b>|*x*  [staging]  parity  since 2026-11-25',
        '',
        'Top findings',
        '  ERROR    oauth.global.client_id  [production, staging]  parity',
        '  WARNING  FEATURE_<b>|*x*  [staging]  parity',
        '',
        'Details: https://ci.example.test/jobs/42',
        '',
      ].join('\n'),
    );
  });

  it('renders Markdown with keys escaped', () => {
    const markdown = digestRenderers.markdown(result);
    expect(markdown.split('\n').slice(0, 4)).toEqual([
      '## driftwatch: 1 new, 1 resolved · 2 open',
      '',
      'Built 2026-11-25 08:30 (Europe/Berlin)',
      '',
    ]);
    expect(markdown).toContain(
      '### New since the last report (1)\n\n- **warning** `FEATURE_<b>\\|*x*` in staging — `parity`',
    );
    expect(markdown).toContain(
      '- 54 days: **error** `oauth.global.client_id` in production, staging — `parity` (since 2026-10-01)',
    );
    expect(markdown.trimEnd().split('\n').at(-1)).toBe('See the [details](<https://ci.example.test/jobs/42>).');
  });

  it('renders JSON with every list in full, in a fixed key order', () => {
    const json = JSON.parse(digestRenderers.json(result));
    expect(Object.keys(json)).toEqual([
      'version',
      'at',
      'timezone',
      'complete',
      'quiet',
      'since',
      'open',
      'openCount',
      'environments',
      'new',
      'resolved',
      'oldest',
      'top',
      'failedSources',
      'link',
    ]);
    expect(json.resolved).toEqual([
      { id: 'b', severity: 'warning', rule: 'parity', key: 'KEY_b', envs: ['production'] },
    ]);
    expect(json.new[0]).toEqual({
      id: 'c',
      severity: 'warning',
      rule: 'parity',
      key: 'FEATURE_<b>|*x*',
      envs: ['staging'],
      firstSeen: '2026-11-25T06:00:00.000Z',
      ageDays: 0,
    });
  });

  it('renders a quiet day in one line', () => {
    const quiet = digest({
      report: report([finding('a')]),
      previous: { createdAt: NOW.toISOString(), openFindings: [finding('a')] },
      link: 'https://ci.example.test/jobs/42',
    });
    expect(digestRenderers.text(quiet)).toBe(
      'driftwatch: still 1 open, none new · details: https://ci.example.test/jobs/42\n',
    );
    expect(digestRenderers.markdown(quiet)).toBe(
      '**driftwatch: still 1 open, none new** · [details](<https://ci.example.test/jobs/42>)\n',
    );
  });
});
