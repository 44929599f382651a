import { describe, expect, it } from 'vitest';
import { MARKDOWN_REPORT_MARKER, markdownReporter } from '../../src/report/markdown.js';
import type { Report } from '../../src/report/report.js';
import {
  baselineFinding,
  cleanReport,
  completedReport,
  HOSTILE_KEY,
  hostileFinding,
  SENSITIVE_FINGERPRINT,
  sampleReport,
} from './sample-report.js';

function render(report: Report): string {
  return markdownReporter(report, { color: false });
}

/** GFM splits a table row at every pipe not preceded by a backslash, before it parses inlines. */
function cells(row: string): string[] {
  return row.split(/(?<!\\)\|/).slice(1, -1);
}

/**
 * The text with every code span replaced by `<code/>`, following CommonMark:
 * a run of n backticks (not backslash-escaped) opens a span that the next run
 * of exactly n closes. What is left is what Markdown and HTML would interpret.
 */
function withoutCodeSpans(text: string): string {
  let out = '';
  let index = 0;
  while (index < text.length) {
    const char = text[index];
    if (char === '\\') {
      out += text.slice(index, index + 2);
      index += 2;
      continue;
    }
    if (char !== '`') {
      out += char;
      index++;
      continue;
    }
    const open = /^`+/.exec(text.slice(index))?.[0] ?? '`';
    let close = index + open.length;
    let found = -1;
    while (close < text.length) {
      const run = /^`+/.exec(text.slice(close))?.[0];
      if (run === undefined) close++;
      else if (run.length === open.length) {
        found = close;
        break;
      } else close += run.length;
    }
    if (found === -1) {
      out += open;
      index += open.length;
    } else {
      out += '<code/>';
      index = found + open.length;
    }
  }
  return out;
}

const ALLOWED_TAGS = new Set([
  MARKDOWN_REPORT_MARKER,
  '<br>',
  '<details>',
  '</details>',
  '<summary>',
  '</summary>',
  '<code/>',
]);

describe('report/markdown', () => {
  it('starts with the hidden marker the PR bot finds its comment by', () => {
    expect(render(sampleReport()).split('\n')[0]).toBe('<!-- driftwatch-report -->');
    expect(render(cleanReport()).split('\n')[0]).toBe('<!-- driftwatch-report -->');
  });

  it('heads the report with the counts', () => {
    expect(render(completedReport()).split('\n')[2]).toBe(
      '## ❌ driftwatch: 2 errors, 2 warnings, 1 notice (1 known from baseline)',
    );
    expect(render(cleanReport()).split('\n')[2]).toBe('## ✅ driftwatch: no drift found');
    const onlyKnown: Report = { ...cleanReport(), findings: [baselineFinding()] };
    expect(render(onlyKnown).split('\n')[2]).toBe('## ✅ driftwatch: no new drift found (1 known from baseline)');
  });

  it('puts source errors first, in a warning block, and says the check is incomplete', () => {
    const output = render(sampleReport());
    expect(output.split('\n')[2]).toBe(
      '## ❌ driftwatch: the check could not be completed; so far 2 errors, 2 warnings, 1 notice (1 known from baseline)',
    );
    expect(output).toContain(
      [
        '> [!WARNING]',
        '> **The check could not be completed** (2 source errors): findings may be missing.',
        '>',
        '> - config/production/broken.yaml:3:7: could not parse YAML: bad indentation of a mapping entry (production)',
        '> - https://config.internal/production.json: HTTP 503 Service Unavailable (production)',
      ].join('\n'),
    );
    expect(output.indexOf('> [!WARNING]')).toBeLessThan(output.indexOf('### Errors'));
  });

  it('has one table per severity, errors first, with file:line locations', () => {
    const output = render(completedReport());
    const headings = output.split('\n').filter((line) => line.startsWith('### '));
    expect(headings).toEqual(['### Errors (2)', '### Warnings (2)', '### Notices (1)']);
    expect(output).toContain(
      [
        '### Errors (2)',
        '',
        '| Rule | Key | Environments | Message | Where |',
        '| --- | --- | --- | --- | --- |',
        `| \`no-shared-secrets\` | \`db.password\` | production, staging | staging and production share the same value.<br>production: \`${SENSITIVE_FINGERPRINT}\`<br>staging: \`${SENSITIVE_FINGERPRINT}\` | \`config/production/db.yaml:7\` (production)<br>\`config/staging/db.yaml:7\` (staging) |`,
      ].join('\n'),
    );
    expect(output).toContain(
      '| `utc-everywhere` | `TZ` | development | TZ must equal UTC.<br>development: `Europe/Paris` | `deploy/development.env` (development) |',
    );
    expect(output).toContain('| `stale-keys` | `legacy.timeout` | staging | No code reads legacy.timeout. | — |');
  });

  it('collapses baseline findings in a details section', () => {
    const output = render(completedReport());
    expect(output).toContain(
      [
        '<details>',
        '<summary>1 known from baseline (not counted)</summary>',
        '',
        '| Severity | Rule | Key | Environments | Message | Where |',
        '| --- | --- | --- | --- | --- | --- |',
        '| warning | `cache-parity` | `cache.ttl` | production | cache.ttl is set in staging but missing in production.<br>staging: `300`<br>first seen 2026-01-15 | `config/staging/app.yaml:31` (staging) |',
        '',
        '</details>',
      ].join('\n'),
    );
    expect(output.indexOf('<details>')).toBeGreaterThan(output.indexOf('### Notices'));
  });

  it('escapes keys, messages and values so that they cannot break the table', () => {
    const output = render(completedReport());
    // Every row of every table has as many cells as its header.
    const tables = output.split(/\n(?!\|)/).map((block) => block.split('\n').filter((line) => line.startsWith('|')));
    const rows = tables.filter((table) => table.length > 0);
    expect(rows.length).toBe(4);
    for (const [header = '', ...body] of rows) {
      for (const line of body) expect(cells(line).length, line).toBe(cells(header).length);
    }
    const row = output.split('\n').find((line) => line.includes('same-feature-flags')) ?? '';
    expect(cells(row).map((cell) => cell.trim())).toEqual([
      '`same-feature-flags`',
      '`features.<script>alert(1)</script>\\|new,checkout:%`',
      'production, staging',
      'Differs: 50% of \\| users, see \\[docs\\](1) &lt;b&gt;now&lt;/b&gt;<br>second line: yes, \\`really\\`' +
        '<br>production: `100%, on: yes\\nnext\\x1b[31mred`' +
        '<br>staging: ``on\\|off `tick` <img src=x onerror=alert(1)> & more``',
      '`config/production/flags, 100%.yaml:4` (production)<br>`config/staging/flags.yaml:4` (staging)',
    ]);
  });

  it('lets no user-controlled string add HTML outside a code span', () => {
    const output = withoutCodeSpans(render(sampleReport()));
    const tags = output.match(/<[^>]*>/g) ?? [];
    expect(tags.filter((tag) => !ALLOWED_TAGS.has(tag))).toEqual([]);
    expect(output.replace(/<[^>]*>/g, '')).not.toContain('<');
  });

  it('fences code with more backticks than it holds and pads a leading or trailing backtick', () => {
    const finding = { ...hostileFinding(), key: '`edge`', values: { staging: 'a``b' } };
    const output = render({ ...cleanReport(), findings: [finding], summary: { error: 0, warning: 1, notice: 0 } });
    expect(output).toContain('| `` `edge` `` |');
    expect(output).toContain('staging: ```a``b```');
  });

  it('renders an empty value as a label, not as an empty code span', () => {
    const finding = { ...hostileFinding(), values: { staging: '' } };
    const output = render({ ...cleanReport(), findings: [finding], summary: { error: 0, warning: 1, notice: 0 } });
    expect(output).toContain('staging: *(empty)*');
  });

  it('names the environments compared', () => {
    expect(render(cleanReport())).toContain(
      'Compared **development** (1 key from 1 source), **staging** (412 keys from 3 sources), **production** (398 keys from 3 sources): no drift found.',
    );
    expect(render(sampleReport())).toContain('**production** (398 keys from 3 sources, 2 could not be read).');
  });

  it('keeps the hostile key in a code span', () => {
    expect(withoutCodeSpans(render(completedReport()))).not.toContain(HOSTILE_KEY);
  });
});
