import { Cron } from 'croner';
import { occurrenceAt, parseCronSchedule } from './cron-schedule.js';
import { errorDetails, type JobLogger, SILENT_JOB_LOGGER } from './job-logger.js';
import { type JobPolicyOverrides, policyFor, retryDelay } from './job-policies.js';
import {
  type AbortReason,
  type JobContext,
  type JobHandler,
  type JobQueue,
  QueueStoppedError,
  type ScheduleOptions,
  type SendOptions,
  type SendResult,
  type WorkOptions,
} from './job-queue.js';
import type { JobName, ScheduledJob } from './jobs.js';

export interface InProcessQueueOptions {
  readonly logger?: JobLogger;
  readonly policies?: JobPolicyOverrides;
  /** How many keys' latest job the queue remembers, to recognise a stale delivery arriving late. */
  readonly rememberedKeys?: number;
}

interface QueuedJob {
  readonly id: number;
  readonly name: JobName;
  readonly payload: object;
  /** `name` and singleton key together: keys of different job names never meet. */
  readonly key: string | undefined;
  readonly singletonKey: string | undefined;
  readonly sequence: number;
  /** Runs so far. */
  attempts: number;
  /** Not before this time (ms since the epoch): a retry waits out its backoff. */
  readyAt: number;
}

interface Worker {
  readonly handler: JobHandler;
  readonly concurrency: number;
  readonly onLost: WorkOptions['onLost'];
  running: number;
}

interface RunningJob {
  readonly job: QueuedJob;
  readonly controller: AbortController;
  readonly done: Promise<void>;
}

interface Latest {
  readonly order: number | undefined;
  readonly sequence: number;
}

/**
 * The embedded engine: one process, jobs in memory. Bounded concurrency per
 * job name, retries with backoff, one running job per singleton key, and a
 * newer job superseding an older one of its key. Nothing is persisted: jobs
 * still waiting or running when the process stops are lost, and reported to
 * `WorkOptions.onLost` so the caller can make them redeliverable.
 */
export class InProcessQueue implements JobQueue {
  readonly engine = 'in-process';
  readonly #logger: JobLogger;
  readonly #policies: JobPolicyOverrides;
  readonly #rememberedKeys: number;
  readonly #workers = new Map<JobName, Worker>();
  readonly #running = new Map<number, RunningJob>();
  readonly #runningKeys = new Set<string>();
  readonly #latest = new Map<string, Latest>();
  readonly #crons: Cron[] = [];
  #waiting: QueuedJob[] = [];
  #sequence = 0;
  #wakeTimer: NodeJS.Timeout | undefined;
  #wakeAt = Number.POSITIVE_INFINITY;
  #stopping: Promise<void> | undefined;
  #pumpScheduled = false;

  constructor(options: InProcessQueueOptions = {}) {
    this.#logger = options.logger ?? SILENT_JOB_LOGGER;
    this.#policies = options.policies ?? {};
    this.#rememberedKeys = options.rememberedKeys ?? 10_000;
  }

  async send(name: JobName, payload: object, options: SendOptions = {}): Promise<SendResult> {
    if (this.#stopping) throw new QueueStoppedError();
    const sequence = ++this.#sequence;
    const { singletonKey, order } = options;
    const key = singletonKey === undefined ? undefined : `${name}\u0000${singletonKey}`;
    let superseded = 0;
    if (key !== undefined) {
      const latest = this.#latest.get(key);
      if (latest?.order !== undefined && order !== undefined && order < latest.order) {
        this.#logger.debug({ job: name, singletonKey }, 'job is older than one already sent for its key; not queued');
        return { status: 'stale' };
      }
      this.#remember(key, { order, sequence });
      const before = this.#waiting.length;
      this.#waiting = this.#waiting.filter((job) => job.key !== key);
      superseded = before - this.#waiting.length;
      for (const running of this.#running.values()) {
        if (running.job.key === key) running.controller.abort('superseded' satisfies AbortReason);
      }
    }
    this.#waiting.push({ id: sequence, name, payload, key, singletonKey, sequence, attempts: 0, readyAt: 0 });
    this.#schedulePump();
    return { status: 'queued', superseded };
  }

  async work(name: JobName, handler: JobHandler, options: WorkOptions = {}): Promise<void> {
    if (this.#stopping) throw new QueueStoppedError();
    if (this.#workers.has(name)) throw new Error(`jobs of ${name} already have a handler`);
    const concurrency = options.concurrency ?? 1;
    if (!(Number.isInteger(concurrency) && concurrency >= 1)) {
      throw new RangeError(`concurrency must be a positive integer, got ${concurrency}`);
    }
    this.#workers.set(name, { handler, concurrency, onLost: options.onLost, running: 0 });
    this.#schedulePump();
  }

  async schedule(name: JobName, cron: string, options: ScheduleOptions): Promise<void> {
    if (this.#stopping) throw new QueueStoppedError();
    const schedule = parseCronSchedule(cron, options.timezone);
    const job = new Cron(cron, { timezone: schedule.timezone, unref: true }, () => {
      const payload: ScheduledJob = { occurrence: occurrenceAt(schedule, new Date()) };
      this.send(name, payload).catch((error: unknown) => {
        this.#logger.warn({ job: name, ...payload, ...errorDetails(error) }, 'scheduled job not queued');
      });
    });
    this.#crons.push(job);
  }

  async depth(): Promise<number> {
    return this.#waiting.length + this.#running.size;
  }

  async ping(): Promise<void> {
    if (this.#stopping) throw new QueueStoppedError();
  }

  stop(options: { readonly timeoutMs: number }): Promise<void> {
    this.#stopping ??= this.#drain(options.timeoutMs);
    return this.#stopping;
  }

  async #drain(timeoutMs: number): Promise<void> {
    for (const cron of this.#crons) cron.stop();
    clearTimeout(this.#wakeTimer);
    const dropped = this.#waiting;
    this.#waiting = [];
    if (dropped.length > 0) {
      this.#logger.warn({ jobs: dropped.length }, 'in-process queue stopping: waiting jobs are dropped');
    }
    for (const job of dropped) await this.#reportLost(job);

    const running = [...this.#running.values()];
    if (running.length === 0) return;
    this.#logger.info({ jobs: running.length, timeoutMs }, 'waiting for running jobs to finish');
    const finished = Promise.allSettled(running.map((entry) => entry.done));
    if (await settlesWithin(finished, timeoutMs)) return;
    const overdue = [...this.#running.values()];
    for (const entry of overdue) entry.controller.abort('shutdown' satisfies AbortReason);
    // A handler that honours its signal returns at once; give it a moment to write nothing half-way.
    await settlesWithin(Promise.allSettled(overdue.map((entry) => entry.done)), Math.min(1_000, timeoutMs));
    const lost = [...this.#running.values()];
    if (lost.length > 0) {
      this.#logger.warn({ jobs: lost.length }, 'in-process queue stopped with jobs still running: they are lost');
    }
    for (const entry of lost) await this.#reportLost(entry.job);
  }

  /** Starts jobs on the next turn of the event loop: a sender (a webhook being answered) never runs a job's code. */
  #schedulePump(): void {
    if (this.#pumpScheduled) return;
    this.#pumpScheduled = true;
    setImmediate(() => {
      this.#pumpScheduled = false;
      this.#pump();
    });
  }

  #pump(): void {
    if (this.#stopping) return;
    const now = Date.now();
    let wakeAt = Number.POSITIVE_INFINITY;
    for (const job of [...this.#waiting]) {
      const worker = this.#workers.get(job.name);
      if (worker === undefined || worker.running >= worker.concurrency) continue;
      if (job.readyAt > now) {
        wakeAt = Math.min(wakeAt, job.readyAt);
        continue;
      }
      if (job.key !== undefined && this.#runningKeys.has(job.key)) continue;
      this.#waiting.splice(this.#waiting.indexOf(job), 1);
      this.#start(job, worker);
    }
    this.#wakeAfter(wakeAt, now);
  }

  /** One timer for the earliest retry that is waiting out its backoff. */
  #wakeAfter(wakeAt: number, now: number): void {
    if (wakeAt === Number.POSITIVE_INFINITY || (this.#wakeTimer !== undefined && wakeAt >= this.#wakeAt)) return;
    clearTimeout(this.#wakeTimer);
    this.#wakeAt = wakeAt;
    this.#wakeTimer = setTimeout(() => {
      this.#wakeTimer = undefined;
      this.#wakeAt = Number.POSITIVE_INFINITY;
      this.#pump();
    }, wakeAt - now);
    this.#wakeTimer.unref();
  }

  #start(job: QueuedJob, worker: Worker): void {
    const policy = policyFor(job.name, this.#policies);
    job.attempts++;
    worker.running++;
    if (job.key !== undefined) this.#runningKeys.add(job.key);
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort('timeout' satisfies AbortReason), policy.timeLimitMs);
    timer.unref();
    const context: JobContext = {
      attempt: job.attempts,
      finalAttempt: job.attempts > policy.retryLimit,
      signal: controller.signal,
      isSuperseded: async () => this.#isSuperseded(job),
    };
    const details = { job: job.name, singletonKey: job.singletonKey, attempt: job.attempts };
    const done = (async () => {
      try {
        if (this.#isSuperseded(job)) return;
        await worker.handler(job.payload, context);
        // A handler that stopped because the queue is going away did not finish its job.
        if (controller.signal.reason === 'shutdown') await this.#reportLost(job);
      } catch (error) {
        if (this.#isSuperseded(job)) {
          this.#logger.debug(details, 'superseded job ended with an error; a newer job of its key follows');
          return;
        }
        if (this.#stopping) {
          // No retry can follow: the queue is going away with everything it holds.
          this.#logger.warn({ ...details, ...errorDetails(error) }, 'job failed while the queue was stopping');
          await this.#reportLost(job);
          return;
        }
        if (context.finalAttempt) {
          this.#logger.error({ ...details, ...errorDetails(error) }, 'job failed; no retries left');
          return;
        }
        const delayMs = retryDelay(policy.retryDelayMs, job.attempts);
        this.#logger.warn({ ...details, delayMs, ...errorDetails(error) }, 'job failed; retrying');
        job.readyAt = Date.now() + delayMs;
        this.#waiting.push(job);
      } finally {
        clearTimeout(timer);
        worker.running--;
        if (job.key !== undefined) this.#runningKeys.delete(job.key);
        this.#running.delete(job.id);
        this.#pump();
      }
    })();
    this.#running.set(job.id, { job, controller, done });
  }

  #isSuperseded(job: QueuedJob): boolean {
    if (job.key === undefined) return false;
    return this.#latest.get(job.key)?.sequence !== job.sequence;
  }

  /** Records the latest job of `key`, forgetting the longest-unused keys that have nothing waiting or running. */
  #remember(key: string, latest: Latest): void {
    this.#latest.delete(key);
    this.#latest.set(key, latest);
    if (this.#latest.size <= this.#rememberedKeys) return;
    const inUse = new Set(
      [...this.#waiting, ...[...this.#running.values()].map((entry) => entry.job)].map((j) => j.key),
    );
    for (const candidate of this.#latest.keys()) {
      if (this.#latest.size <= this.#rememberedKeys) break;
      if (candidate !== key && !inUse.has(candidate)) this.#latest.delete(candidate);
    }
  }

  async #reportLost(job: QueuedJob): Promise<void> {
    const onLost = this.#workers.get(job.name)?.onLost;
    if (onLost === undefined) return;
    try {
      await onLost(job.payload);
    } catch (error) {
      this.#logger.warn({ job: job.name, ...errorDetails(error) }, 'could not report a lost job');
    }
  }
}

/** Whether `promise` settles within `ms`. */
async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([promise.then(() => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
