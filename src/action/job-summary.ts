import { plural } from '../plural.js';

/** What GitHub accepts from one step's `$GITHUB_STEP_SUMMARY`: a larger summary is refused and none is shown. */
export const JOB_SUMMARY_LIMIT_BYTES = 1024 * 1024;

/**
 * The Markdown report cut to fit `limitBytes` (UTF-8): whole lines only, so a
 * table loses rows but never half a row or half a character, then a note
 * saying how much was left out and where the rest is. A `<details>` block
 * left open by the cut is closed.
 */
export function fitJobSummary(markdown: string, limitBytes = JOB_SUMMARY_LIMIT_BYTES): string {
  if (Buffer.byteLength(markdown, 'utf8') <= limitBytes) return markdown;
  const lines = markdown.replace(/\n$/, '').split('\n');
  // The note's length depends on the count it names; a count can have at most as many digits as the total.
  const reserved = Buffer.byteLength(`\n${CLOSE_DETAILS}\n${cutNote(lines.length, markdown)}`, 'utf8');
  const budget = limitBytes - reserved;
  let used = 0;
  let kept = 0;
  for (const line of lines) {
    const size = Buffer.byteLength(line, 'utf8') + 1;
    if (used + size > budget) break;
    used += size;
    kept++;
  }
  const shown = lines.slice(0, kept);
  const open =
    shown.filter((line) => line === '<details>').length - shown.filter((line) => line === '</details>').length;
  const closing = open > 0 ? `\n${CLOSE_DETAILS}` : '';
  return `${shown.join('\n')}\n${closing}\n${cutNote(lines.length - kept, markdown)}`;
}

const CLOSE_DETAILS = '</details>\n';

function cutNote(linesLeftOut: number, markdown: string): string {
  const size = (Buffer.byteLength(markdown, 'utf8') / (1024 * 1024)).toFixed(1);
  return [
    '> [!NOTE]',
    `> The report is cut here, ${plural(linesLeftOut, 'line')} before its end: it is ${size} MiB, and a job summary holds at most 1 MiB. The \`report\` output names a file with the whole report (JSON).`,
    '',
  ].join('\n');
}
