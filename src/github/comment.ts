import { compareCodeUnits } from '../compare-code-units.js';
import { formatProblem } from '../errors.js';
import { plural } from '../plural.js';
import { MARKDOWN_REPORT_MARKER } from '../report/markdown.js';
import type { Finding, ReportError } from '../report/report.js';
import type {
  AnalysedPullRequest,
  MissingRead,
  OneSidedChange,
  Place,
  PullRequestAnalysis,
  StaleKey,
} from './analyze-pull-request.js';
import { commentCode, commentText } from './comment-markdown.js';

/** The bot finds its comment again by this hidden line (and by its own login). */
export const COMMENT_MARKER = MARKDOWN_REPORT_MARKER;

/** GitHub refuses a comment body longer than this many characters. */
export const MAX_COMMENT_LENGTH = 65_536;

export interface RenderedComment {
  readonly body: string;
  /**
   * Whether the pull request should hear about it: something it adds, fixes
   * or breaks. When not, no comment is created, and an existing one is turned
   * into the one-line "all fixed".
   */
  readonly worthSaying: boolean;
}

/** A section whose rows can be cut to fit: whole rows only, then a one-line summary. */
interface Section {
  readonly title: string;
  /** Lines above the rows (a table's header and rule). */
  readonly header: readonly string[];
  readonly rows: readonly string[];
  /** What one row is, for "12 more keys": `key`, `finding`. */
  readonly noun: string;
}

type Block = string | Section;

/**
 * The sticky comment for one analysis. It always starts with the marker,
 * never exceeds GitHub's limit (sections are shortened by whole rows, then
 * summarised in a line; nothing is cut inside a table or a character), and
 * escapes everything that comes from config, code or rule packs.
 */
export function renderComment(analysis: PullRequestAnalysis, limit = MAX_COMMENT_LENGTH): RenderedComment {
  const at = `${commentCode(analysis.headSha.slice(0, 7))}`;
  if (analysis.kind === 'no-config') {
    return {
      body: fitWithin(
        [
          COMMENT_MARKER,
          `## ℹ️ driftwatch: ${commentCode(analysis.configFile)} is new in this pull request`,
          'driftwatch reads its config from the base branch, never from a pull request: it checks pull requests once this file is merged.',
        ],
        limit,
      ),
      worthSaying: analysis.addedByHead,
    };
  }
  if (analysis.kind === 'config-invalid') {
    const problems: Section = {
      title: 'Problems',
      header: [],
      rows: analysis.problems.map((problem) => `- ${commentText(formatProblem(problem))}`),
      noun: 'problem',
    };
    return {
      body: fitWithin(
        [
          COMMENT_MARKER,
          `## ❌ driftwatch: the base branch's config cannot be used`,
          `${commentCode(analysis.configFile)} or a rule pack on the base commit ${commentCode(analysis.baseSha.slice(0, 7))} is invalid, so nothing was checked.` +
            (analysis.configChanged.length > 0
              ? ' This pull request changes it; the change takes effect once it is merged.'
              : ''),
          problems,
        ],
        limit,
      ),
      worthSaying: true,
    };
  }

  const blocks: Block[] = [COMMENT_MARKER, heading(analysis), summaryLine(analysis, at)];
  if (analysis.configChanged.length > 0) {
    blocks.push(
      [
        '> [!IMPORTANT]',
        `> config of driftwatch changed; analysed with the base's (${analysis.configChanged.map(commentCode).join(', ')}). The new config takes effect once this pull request is merged.`,
      ].join('\n'),
    );
  }
  if (analysis.headErrors.length > 0) blocks.push(errorBlock('this pull request', analysis.headErrors));
  if (analysis.baseErrors.length > 0) blocks.push(errorBlock('the base commit', analysis.baseErrors));
  if (analysis.missingReads.length > 0) {
    blocks.push({
      title: 'Config the code now reads',
      header: [],
      rows: analysis.missingReads.map(missingRow),
      noun: 'key',
    });
  }
  if (analysis.couples.length > 0) {
    blocks.push({
      title: 'Config this change needs (couple rules)',
      header: [],
      rows: analysis.couples.map(coupleRow),
      noun: 'rule',
    });
  }
  if (analysis.oneSided.length > 0) {
    blocks.push({
      title: 'Config changed in some environments and not in others',
      header: [],
      rows: analysis.oneSided.map(oneSidedRow),
      noun: 'key',
    });
  }
  if (analysis.stale.length > 0) {
    blocks.push({
      title: 'Stale config: nothing reads it any more',
      header: [],
      rows: analysis.stale.map(staleRow),
      noun: 'key',
    });
  }
  if (analysis.introduced.length > 0) {
    blocks.push({
      title: analysis.baseErrors.length > 0 ? 'Findings on this pull request' : 'Findings this pull request introduces',
      header: ['| Severity | Rule | Key | Environments | Message | Where |', '| --- | --- | --- | --- | --- | --- |'],
      rows: analysis.introduced.map(findingRow),
      noun: 'finding',
    });
  }
  if (analysis.fixed.length > 0) {
    blocks.push({
      title: 'Findings this pull request fixes',
      header: [],
      rows: analysis.fixed.map(fixedRow),
      noun: 'finding',
    });
  }
  blocks.push(...footer(analysis));
  return { body: fitWithin(blocks, limit), worthSaying: worthSaying(analysis) };
}

/** The one line a comment becomes when a later push leaves nothing to say. */
export function resolvedComment(analysis: Pick<AnalysedPullRequest, 'headSha'>): string {
  return `${COMMENT_MARKER}\n✅ driftwatch: everything this pull request needed is in place now (as of ${commentCode(analysis.headSha.slice(0, 7))}).\n`;
}

function worthSaying(analysis: AnalysedPullRequest): boolean {
  return (
    analysis.configChanged.length > 0 ||
    analysis.headErrors.length > 0 ||
    analysis.missingReads.length > 0 ||
    analysis.couples.length > 0 ||
    analysis.oneSided.length > 0 ||
    analysis.stale.length > 0 ||
    analysis.introduced.length > 0 ||
    analysis.fixed.length > 0
  );
}

function heading(analysis: AnalysedPullRequest): string {
  if (analysis.headErrors.length > 0) return "## ❌ driftwatch: this pull request's configuration cannot be read";
  if (analysis.conclusion === 'failure') return '## ❌ driftwatch: this pull request leaves configuration behind';
  const attention =
    analysis.missingReads.length +
    analysis.couples.length +
    analysis.oneSided.length +
    analysis.stale.length +
    analysis.introduced.length;
  if (attention > 0) return '## ⚠️ driftwatch: worth a look before merging';
  if (analysis.conclusion === 'neutral') return '## ⚠️ driftwatch: no drift found in what could be checked';
  return '## ✅ driftwatch: this pull request introduces no drift';
}

function summaryLine(analysis: AnalysedPullRequest, at: string): string {
  const parts = [
    count(analysis.missingReads.length, 'key the code now reads is missing', 'keys the code now reads are missing'),
    count(analysis.couples.length, 'couple rule is not met', 'couple rules are not met'),
    count(analysis.oneSided.length, 'key changed in only some environments', 'keys changed in only some environments'),
    count(analysis.stale.length, 'key is left stale', 'keys are left stale'),
    count(analysis.introduced.length, 'new finding', 'new findings'),
    count(analysis.fixed.length, 'finding fixed', 'findings fixed'),
  ].filter((part) => part !== '');
  const what = parts.length > 0 ? `: ${parts.join(', ')}` : ': nothing to report';
  return `Head ${at} compared with the base commit ${commentCode(analysis.baseSha.slice(0, 7))}${what}.`;
}

function count(value: number, one: string, many: string): string {
  if (value === 0) return '';
  return `${value} ${value === 1 ? one : many}`;
}

function errorBlock(which: string, errors: readonly ReportError[]): string {
  const lines = [
    '> [!WARNING]',
    `> **The check of ${which} could not be completed**, so its findings are not compared:`,
    '>',
  ];
  const shown = errors.slice(0, 20);
  for (const error of shown) {
    const env = error.env ? ` (${commentText(error.env)})` : '';
    lines.push(`> - ${commentText(formatProblem(error))}${env}`);
  }
  if (errors.length > shown.length) lines.push(`> - … and ${errors.length - shown.length} more`);
  return lines.join('\n');
}

function place(at: Place | undefined): string {
  if (!at) return '';
  return commentCode(at.line === undefined ? at.file : `${at.file}:${at.line}`);
}

function envList(envs: readonly string[]): string {
  const names = envs.map(commentText);
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

function missingRow(read: MissingRead): string {
  const [first, ...rest] = read.sites;
  const more = rest.length > 0 ? ` (and ${plural(rest.length, 'more read')})` : '';
  const fallback = read.hasDefault ? '; every read has a default, which it falls back to' : '';
  return `- reads ${commentCode(read.key)} at ${place(first)}${more}; missing in ${envList(read.envs)}${fallback}`;
}

function coupleRow(finding: Finding): string {
  return `- ${commentCode(finding.rule)}: ${commentText(finding.message)}`;
}

function oneSidedRow(change: OneSidedChange): string {
  const done = change.changes
    .map(({ env, change: kind, at }) => {
      const verb = kind === 'removed' ? 'removed from' : `${kind} in`;
      return `${verb} ${commentText(env)}${at ? ` (${place(at)})` : ''}`;
    })
    .join(', ');
  return `- ${commentCode(change.key)}: ${done}; not touched in ${envList(change.untouched)}`;
}

function staleRow(key: StaleKey): string {
  const [first, ...rest] = key.lastReads;
  const more = rest.length > 0 ? ` and ${rest.length} more` : '';
  const held = key.heldIn.map(({ env, at }) => `${commentText(env)}${at ? ` (${place(at)})` : ''}`).join(', ');
  return `- ${commentCode(key.key)}: this pull request removes its last read (${place(first)}${more}); still set in ${held}: remove it there`;
}

function findingRow(finding: Finding): string {
  const values = Object.entries(finding.values ?? {})
    .sort(([a], [b]) => compareCodeUnits(a, b))
    .map(([env, value]) => `${commentText(env)}: ${value === '' ? '*(empty)*' : commentCode(value)}`);
  const where = finding.locations.slice(0, 5).map((location) => {
    const at = location.line === undefined ? location.file : `${location.file}:${location.line}`;
    return `${commentCode(at)} (${commentText(location.env)})`;
  });
  if (finding.locations.length > 5) where.push(`and ${finding.locations.length - 5} more`);
  const cells = [
    finding.severity,
    commentCode(finding.rule),
    commentCode(finding.key),
    finding.envs.map(commentText).join(', '),
    [commentText(finding.message), ...values].join('<br>'),
    where.length > 0 ? where.join('<br>') : '—',
  ];
  return `| ${cells.join(' | ')} |`;
}

function fixedRow(finding: Finding): string {
  return `- ${commentCode(finding.rule)} ${commentCode(finding.key)} (${finding.envs.map(commentText).join(', ')})`;
}

function footer(analysis: AnalysedPullRequest): string[] {
  const lines: string[] = [];
  if (analysis.unchanged > 0) {
    lines.push(
      `${plural(analysis.unchanged, 'finding')} already on the base branch (not this pull request's doing): run \`driftwatch check\` for the backlog.`,
    );
  }
  const environments = analysis.environments.map(
    (environment) => `**${commentText(environment.name)}** (${environment.keys} keys)`,
  );
  if (environments.length > 0) lines.push(`Environments: ${environments.join(', ')}.`);
  const stored = analysis.live.filter((use) => use.storedAt !== undefined);
  if (stored.length > 0) {
    const sources = stored.map(
      (use) =>
        `${commentText(use.env)}: ${commentCode(use.source)} (snapshot stored ${commentText(formatTime(use.storedAt as string))})`,
    );
    lines.push(
      `Live sources were not run for a pull request; their keys come from the latest stored snapshots: ${sources.join('; ')}.`,
    );
  }
  const unchecked = analysis.live.filter((use) => use.storedAt === undefined);
  if (unchecked.length > 0) {
    lines.push(
      [
        '> [!WARNING]',
        `> **Not checked**: ${unchecked.map((use) => `${commentText(use.env)}: ${commentCode(use.source)} (${use.kind})`).join('; ')}.`,
        "> A pull request never makes driftwatch run a command, fetch a URL or read outside the repository, and no snapshot of these sources is stored yet (`driftwatch snapshot --all --store`, or the service's schedule): findings about them may be missing.",
      ].join('\n'),
    );
  }
  if (analysis.filesTruncated) {
    lines.push('GitHub lists only the first 3,000 files of a pull request: changes beyond them were not seen.');
  }
  return lines;
}

function formatTime(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

/**
 * Renders the blocks within `limit` characters: while too long, the section
 * showing the most rows shows half as many; a section down to none is one
 * line. Rows, tables and characters are never cut, and the marker stays.
 */
function fitWithin(blocks: readonly Block[], limit: number): string {
  const shown = blocks.map((block) => (typeof block === 'string' ? 0 : block.rows.length));
  const render = () =>
    `${blocks.map((block, index) => (typeof block === 'string' ? block : renderSection(block, shown[index] as number))).join('\n\n')}\n`;
  let text = render();
  while (text.length > limit) {
    let widest = -1;
    for (const [index, rows] of shown.entries())
      if (rows > 0 && (widest === -1 || rows > (shown[widest] as number))) widest = index;
    if (widest === -1) break;
    shown[widest] = Math.floor((shown[widest] as number) / 2);
    text = render();
  }
  if (text.length <= limit) return text;
  // Even summarised it does not fit (thousands of sections cannot happen; a huge error list can): say so.
  const fallback = `${COMMENT_MARKER}\n## driftwatch: the report is too long for a comment\nRun \`driftwatch check\` on the branch for the full report.\n`;
  return fallback;
}

function renderSection(section: Section, shown: number): string {
  const total = section.rows.length;
  const title = `### ${section.title} (${total})`;
  if (shown === 0) {
    return `${title}\n\n_${plural(total, section.noun)}: too many to list within GitHub's comment size limit._`;
  }
  const lines = [...section.header, ...section.rows.slice(0, shown)].join('\n');
  const more =
    shown < total
      ? `\n\n_… and ${plural(total - shown, `more ${section.noun}`)}, not listed: GitHub limits a comment's size._`
      : '';
  return `${title}\n\n${lines}${more}`;
}
