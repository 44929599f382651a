import { plural } from '../plural.js';

export type ShrinkCheck = { readonly ok: true } | { readonly ok: false; readonly reason: string };

/**
 * Whether a snapshot's key count is believable against the environment's last
 * one. An empty environment is always suspicious (a source that read nothing
 * looks exactly like this), and so is one that lost more than half its keys.
 */
export function checkShrink(
  previousKeyCount: number | undefined,
  currentKeyCount: number,
  env = 'the environment',
  hint = 'pass --accept-shrink if this is intended',
): ShrinkCheck {
  if (currentKeyCount === 0 && !previousKeyCount) {
    const when = previousKeyCount === undefined ? 'in its first snapshot' : 'again';
    return { ok: false, reason: `${env} has no keys ${when}; a source that read nothing looks like this; ${hint}` };
  }
  if (previousKeyCount === undefined || currentKeyCount * 2 >= previousKeyCount) return { ok: true };
  const percent = Math.round(((currentKeyCount - previousKeyCount) / previousKeyCount) * 100);
  return {
    ok: false,
    reason: `${env} has ${plural(currentKeyCount, 'key')}, down from ${previousKeyCount} at its last snapshot (${percent}%); ${hint}`,
  };
}
