import { afterEach, describe, expect, it } from 'vitest';
import { InProcessQueue } from '../../src/jobs/in-process-queue.js';
import { type JobContext, QueueStoppedError, ScheduleError } from '../../src/jobs/job-queue.js';
import { JOB_NAMES } from '../../src/jobs/jobs.js';

const ANALYZE = JOB_NAMES.analyzePullRequest;
const FAST = { [ANALYZE]: { retryDelayMs: 10, retryLimit: 2 } };

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function waitFor(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(5);
  }
}

/** Resolves when `signal` aborts or after `ms`, whichever comes first. */
function sleepUnlessAborted(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

describe('jobs/in-process queue', () => {
  let queue: InProcessQueue;
  afterEach(() => queue.stop({ timeoutMs: 100 }));

  it('runs at most `concurrency` jobs of a name at a time', async () => {
    queue = new InProcessQueue();
    let running = 0;
    let most = 0;
    const done: number[] = [];
    await queue.work(
      ANALYZE,
      async (payload) => {
        running++;
        most = Math.max(most, running);
        await sleep(20);
        running--;
        done.push((payload as { n: number }).n);
      },
      { concurrency: 2 },
    );
    for (let n = 0; n < 6; n++) await queue.send(ANALYZE, { n });
    expect(await queue.depth()).toBe(6);
    await waitFor(() => done.length === 6);
    expect(most).toBe(2);
    expect(done.sort()).toEqual([0, 1, 2, 3, 4, 5]);
    expect(await queue.depth()).toBe(0);
  });

  it('retries a failing job with backoff, then gives up saying it is the final attempt', async () => {
    queue = new InProcessQueue({ policies: FAST });
    const attempts: { attempt: number; finalAttempt: boolean; at: number }[] = [];
    await queue.work(ANALYZE, async (_payload, context) => {
      attempts.push({ attempt: context.attempt, finalAttempt: context.finalAttempt, at: Date.now() });
      throw new Error('GitHub answered 502');
    });
    await queue.send(ANALYZE, {});
    await waitFor(() => attempts.length === 3);
    await sleep(100);
    expect(attempts.map(({ attempt, finalAttempt }) => ({ attempt, finalAttempt }))).toEqual([
      { attempt: 1, finalAttempt: false },
      { attempt: 2, finalAttempt: false },
      { attempt: 3, finalAttempt: true },
    ]);
    // Backoff doubles: at least half of 10 ms, then half of 20 ms.
    expect((attempts[1]?.at ?? 0) - (attempts[0]?.at ?? 0)).toBeGreaterThanOrEqual(5);
    expect((attempts[2]?.at ?? 0) - (attempts[1]?.at ?? 0)).toBeGreaterThanOrEqual(10);
    expect(await queue.depth()).toBe(0);
  });

  it('succeeds on a retry', async () => {
    queue = new InProcessQueue({ policies: FAST });
    let runs = 0;
    let succeeded = false;
    await queue.work(ANALYZE, async () => {
      runs++;
      if (runs === 1) throw new Error('flaky');
      succeeded = true;
    });
    await queue.send(ANALYZE, {});
    await waitFor(() => succeeded);
    expect(runs).toBe(2);
  });

  it('runs one job per singleton key at a time; a newer job drops the waiting one and aborts the running one', async () => {
    queue = new InProcessQueue();
    const events: string[] = [];
    await queue.work(
      ANALYZE,
      async (payload, context) => {
        const { head } = payload as { head: string };
        events.push(`start ${head}`);
        await sleepUnlessAborted(200, context.signal);
        events.push(context.signal.aborted ? `abort ${head} (${String(context.signal.reason)})` : `done ${head}`);
      },
      { concurrency: 4 },
    );
    await queue.send(ANALYZE, { head: 'h1' }, { singletonKey: 'acme/api#1' });
    await waitFor(() => events.includes('start h1'));
    expect(await queue.send(ANALYZE, { head: 'h2' }, { singletonKey: 'acme/api#1' })).toEqual({
      status: 'queued',
      superseded: 0,
    });
    expect(await queue.send(ANALYZE, { head: 'h3' }, { singletonKey: 'acme/api#1' })).toEqual({
      status: 'queued',
      superseded: 1,
    });
    // Another key is not held up by this one.
    await queue.send(ANALYZE, { head: 'other' }, { singletonKey: 'acme/api#2' });
    await waitFor(() => events.includes('done h3') && events.includes('done other'));
    expect(events.filter((event) => /h\d/.test(event))).toEqual([
      'start h1',
      'abort h1 (superseded)',
      'start h3',
      'done h3',
    ]);
    expect(events).not.toContain('start h2');
  });

  it('refuses a job older than the newest sent for its key', async () => {
    queue = new InProcessQueue();
    const heads: string[] = [];
    await queue.work(ANALYZE, async (payload) => {
      heads.push((payload as { head: string }).head);
    });
    expect(await queue.send(ANALYZE, { head: 'new' }, { singletonKey: 'k', order: 2000 })).toMatchObject({
      status: 'queued',
    });
    expect(await queue.send(ANALYZE, { head: 'old' }, { singletonKey: 'k', order: 1000 })).toEqual({ status: 'stale' });
    // Equal order: the later arrival wins.
    expect(await queue.send(ANALYZE, { head: 'same' }, { singletonKey: 'k', order: 2000 })).toMatchObject({
      status: 'queued',
    });
    await waitFor(() => heads.includes('same'));
    expect(heads).not.toContain('old');
  });

  it('does not retry a superseded job that failed', async () => {
    queue = new InProcessQueue({ policies: FAST });
    const runs: string[] = [];
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    await queue.work(ANALYZE, async (payload) => {
      const { head } = payload as { head: string };
      runs.push(head);
      if (head === 'h1') {
        await gate;
        throw new Error('failed after being superseded');
      }
    });
    await queue.send(ANALYZE, { head: 'h1' }, { singletonKey: 'k' });
    await waitFor(() => runs.includes('h1'));
    await queue.send(ANALYZE, { head: 'h2' }, { singletonKey: 'k' });
    release();
    await waitFor(() => runs.includes('h2'));
    await sleep(50);
    expect(runs).toEqual(['h1', 'h2']);
  });

  it('on stop, lets running jobs finish within the timeout and takes no more work', async () => {
    queue = new InProcessQueue();
    const finished: string[] = [];
    await queue.work(ANALYZE, async () => {
      await sleep(100);
      finished.push('slow');
    });
    await queue.send(ANALYZE, {});
    await sleep(10);
    const stopping = queue.stop({ timeoutMs: 2_000 });
    await expect(queue.send(ANALYZE, {})).rejects.toBeInstanceOf(QueueStoppedError);
    await expect(queue.ping()).rejects.toBeInstanceOf(QueueStoppedError);
    await stopping;
    expect(finished).toEqual(['slow']);
  });

  it('on stop, aborts jobs that outlive the timeout and reports them and the waiting ones as lost', async () => {
    queue = new InProcessQueue();
    const reasons: unknown[] = [];
    const lost: unknown[] = [];
    await queue.work(
      ANALYZE,
      async (_payload, context: JobContext) => {
        await sleepUnlessAborted(10_000, context.signal);
        reasons.push(context.signal.reason);
      },
      {
        concurrency: 2,
        onLost: async (payload) => {
          lost.push(payload);
        },
      },
    );
    await queue.send(ANALYZE, { n: 1 }, { singletonKey: 'k' });
    await queue.send(ANALYZE, { n: 2 }, { singletonKey: 'other' });
    await sleep(20);
    // Supersedes n: 1, and waits for it to give key k back.
    await queue.send(ANALYZE, { n: 3 }, { singletonKey: 'k' });
    const started = Date.now();
    await queue.stop({ timeoutMs: 100 });
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(reasons).toEqual(['superseded', 'shutdown']);
    // n: 3 was waiting (dropped); n: 2 returned once told to stop, so it did not finish either.
    expect(lost).toEqual([{ n: 3 }, { n: 2 }]);
  });

  it('reports a job as lost when it ignores the shutdown signal', async () => {
    queue = new InProcessQueue();
    const lost: unknown[] = [];
    await queue.work(ANALYZE, () => sleep(3_000), {
      onLost: async (payload) => {
        lost.push(payload);
      },
    });
    await queue.send(ANALYZE, { n: 1 });
    await sleep(10);
    await queue.stop({ timeoutMs: 50 });
    expect(lost).toEqual([{ n: 1 }]);
  });

  it('schedules with croner and hands the handler the occurrence', async () => {
    queue = new InProcessQueue();
    const occurrences: string[] = [];
    await queue.work(JOB_NAMES.snapshotEnvironments, async (payload) => {
      occurrences.push((payload as { occurrence: string }).occurrence);
    });
    await queue.schedule(JOB_NAMES.snapshotEnvironments, '* * * * * *', { timezone: 'Europe/Berlin' });
    await waitFor(() => occurrences.length >= 2, 5_000);
    for (const occurrence of occurrences) expect(occurrence).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z$/);
    expect(new Set(occurrences).size).toBe(occurrences.length);
  });

  it('refuses a bad cron expression or time zone, naming it', async () => {
    queue = new InProcessQueue();
    await expect(queue.schedule(JOB_NAMES.sendReport, '61 * * * *', {})).rejects.toThrow(
      new ScheduleError('invalid cron expression "61 * * * *": CronPattern: Invalid value for minute: 61'),
    );
    await expect(queue.schedule(JOB_NAMES.sendReport, '0 8 * * 1-5', { timezone: 'Mars/Olympus' })).rejects.toThrow(
      /^unknown time zone "Mars\/Olympus"/,
    );
  });
});
