import type { IssueComment, PlatformWriter } from './platform.js';

/** What the sticky comment should say: a report, or (when nothing is left to say) the "all fixed" line. */
export type WantedComment =
  | { readonly kind: 'report'; readonly body: string }
  | { readonly kind: 'resolved'; readonly body: string };

export type StickyOutcome =
  /** A new comment. */
  | 'created'
  /** The existing comment now says something else. */
  | 'updated'
  /** The existing comment already said exactly this: not edited (no notification, no "edited" mark). */
  | 'unchanged'
  /** A draft, or nothing to say and nothing said before: no comment. */
  | 'none';

export interface StickyResult {
  readonly outcome: StickyOutcome;
  /** Comments of ours beyond the first, deleted (two replicas, or a retry, that both created one). */
  readonly deleted: number;
  readonly commentId?: number;
}

/**
 * One comment per pull request, found again by the hidden marker AND the
 * bot's own login (a person quoting the marker is not us): the oldest of ours
 * is edited in place, only when its text changes; any other of ours is
 * deleted. A draft gets no new comment (an existing one is still kept true);
 * with nothing to say, no comment is created, and an existing one says in
 * one line that everything is fixed.
 */
export async function upsertStickyComment(
  writer: PlatformWriter,
  wanted: WantedComment,
  options: { readonly marker: string; readonly draft: boolean },
): Promise<StickyResult> {
  const login = await writer.login();
  const ours = (await writer.comments())
    .filter((comment) => comment.login === login && comment.body.includes(options.marker))
    .sort((a, b) => a.id - b.id);
  const [first, ...duplicates] = ours;
  for (const duplicate of duplicates) await writer.deleteComment(duplicate.id);
  const deleted = duplicates.length;
  if (!first) {
    if (wanted.kind === 'resolved' || options.draft) return { outcome: 'none', deleted };
    const created: IssueComment = await writer.createComment(wanted.body);
    return { outcome: 'created', deleted, commentId: created.id };
  }
  if (normalize(first.body) === normalize(wanted.body)) return { outcome: 'unchanged', deleted, commentId: first.id };
  await writer.updateComment(first.id, wanted.body);
  return { outcome: 'updated', deleted, commentId: first.id };
}

/** GitHub stores bodies with CRLF line ends at times; the same text is the same comment. */
function normalize(body: string): string {
  return body.replace(/\r\n/g, '\n').trimEnd();
}
