import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';

/**
 * Who is sending a report: `host pid token`. The token tells two senders in
 * one process apart; host and pid let a sender on the same machine see that
 * the claimant has died (killed mid-send), so that its report goes out on
 * the next run rather than when the claim runs out.
 */
export function newClaimant(): string {
  return `${hostname()} ${process.pid} ${randomBytes(6).toString('hex')}`;
}

/** Whether a report claimed by `claimant` until `until` may be taken over at `now`. */
export function claimIsStale(claimant: string | undefined, until: string | undefined, now: number): boolean {
  if (claimant === undefined) return true;
  if (until === undefined || Date.parse(until) <= now) return true;
  const parts = claimant.split(' ');
  const pid = Number(parts.at(-2));
  const host = parts.slice(0, -2).join(' ');
  if (host !== hostname() || !Number.isInteger(pid) || pid <= 0 || pid === process.pid) return false;
  return !isAlive(pid);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, under another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
