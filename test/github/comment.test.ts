import { describe, expect, it } from 'vitest';
import type { AnalysedPullRequest, OneSidedChange } from '../../src/github/analyze-pull-request.js';
import { COMMENT_MARKER, renderComment, resolvedComment } from '../../src/github/comment.js';
import { clip, commentCode, commentText } from '../../src/github/comment-markdown.js';
import type { Finding } from '../../src/report/report.js';

function analysis(overrides: Partial<AnalysedPullRequest> = {}): AnalysedPullRequest {
  return {
    kind: 'analysed',
    number: 2,
    headSha: 'a'.repeat(40),
    baseSha: 'b'.repeat(40),
    configFile: 'driftwatch.yaml',
    conclusion: 'neutral',
    configChanged: [],
    headErrors: [],
    baseErrors: [],
    missingReads: [],
    oneSided: [],
    stale: [],
    couples: [],
    introduced: [],
    fixed: [],
    unchanged: 0,
    live: [],
    environments: [{ name: 'staging', keys: 3 }],
    notices: [],
    filesTruncated: false,
    ...overrides,
  };
}

/** Keys of emoji and accents, so that a cut in the wrong place would split a character. */
function oneSided(count: number): OneSidedChange[] {
  return Array.from({ length: count }, (_, index) => ({
    key: `features.🚀👩‍👩‍👧‍👦-ünïcödé-${index}`,
    changes: [{ env: 'staging', change: 'added' as const, at: { file: 'config/staging.yaml', line: index + 1 } }],
    untouched: ['production'],
  }));
}

function finding(index: number): Finding {
  return {
    id: `id${index}`,
    rule: 'parity',
    kind: 'parity',
    severity: 'warning',
    key: `key.with|pipe-${'é'.repeat(30)}-${index}`,
    envs: ['production'],
    message: `message ${index} with 😀 and a long tail ${'x'.repeat(100)}`,
    locations: [{ env: 'staging', file: 'config/staging.yaml', line: index }],
    values: { staging: 'v' },
  };
}

describe('github/comment', () => {
  it('stays within the limit by whole rows, then a line, and never splits a character or a table', () => {
    const big = analysis({
      oneSided: oneSided(400),
      introduced: Array.from({ length: 400 }, (_, index) => finding(index)),
    });
    for (const limit of [65_536, 20_000, 4_000]) {
      const { body } = renderComment(big, limit);
      expect(body.length).toBeLessThanOrEqual(limit);
      expect(body.startsWith(`${COMMENT_MARKER}\n`)).toBe(true);
      expect(body).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
      const tableLines = body.split('\n').filter((line) => line.startsWith('|'));
      for (const line of tableLines) expect(line.endsWith('|')).toBe(true);
      // A table that is shown has its header.
      if (tableLines.length > 0)
        expect(tableLines[0]).toBe('| Severity | Rule | Key | Environments | Message | Where |');
      expect(body).toContain('### Config changed in some environments and not in others (400)');
      expect(body).toContain('### Findings this pull request introduces (400)');
    }
    const tight = renderComment(big, 4_000).body;
    expect(tight).toMatch(
      /_… and \d+ more keys, not listed: GitHub limits a comment's size._|_400 keys: too many to list/,
    );
  });

  it('escapes what config and rule packs say: no markup, no HTML, no mention, no broken code span', () => {
    expect(commentText('<b>hi</b> @octocat **bold** [link](x) | cell')).toBe(
      '&lt;b&gt;hi&lt;/b&gt; @\u200boctocat \\*\\*bold\\*\\* \\[link\\](x) \\| cell',
    );
    expect(commentCode('a`b|c')).toBe('``a`b\\|c``');
    const { body } = renderComment(
      analysis({
        missingReads: [
          {
            key: '@admins',
            envs: ['prod @ops'],
            sites: [{ file: 'src/x.ts', line: 1 }],
            severity: 'error',
            hasDefault: false,
          },
        ],
      }),
    );
    expect(body).toContain('- reads `@admins` at `src/x.ts:1`; missing in prod @\u200bops');
  });

  it('clips long text by characters as people see them', () => {
    expect(clip('👩‍👩‍👧‍👦'.repeat(10), 4)).toBe('👩‍👩‍👧‍👦👩‍👩‍👧‍👦👩‍👩‍👧‍👦…');
    expect(clip('short', 10)).toBe('short');
  });

  it('has nothing to say about a pull request that changes nothing that matters, and then says so in one line', () => {
    const quiet = renderComment(analysis({ conclusion: 'success', unchanged: 3 }));
    expect(quiet.worthSaying).toBe(false);
    expect(resolvedComment(analysis())).toBe(
      `${COMMENT_MARKER}\n✅ driftwatch: everything this pull request needed is in place now (as of \`aaaaaaa\`).\n`,
    );
    const fixes = renderComment(analysis({ conclusion: 'success', fixed: [finding(1)] }));
    expect(fixes.worthSaying).toBe(true);
    expect(fixes.body).toContain('## ✅ driftwatch: this pull request introduces no drift');
  });
});
