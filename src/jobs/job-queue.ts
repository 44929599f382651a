import type { JobName } from './jobs.js';

/**
 * The job layer, one interface over two engines: an in-process queue with
 * bounded concurrency (one `serve`, SQLite), and pg-boss on PostgreSQL (several
 * `serve` replicas sharing the work). Handlers must be idempotent: a job can
 * run twice (a retry, a replica that died mid-job).
 */
export interface JobQueue {
  /** `in-process` or `pg-boss`, for logs and /readyz. */
  readonly engine: 'in-process' | 'pg-boss';
  /**
   * Queues a job. With `singletonKey`, at most one job per key runs at a time
   * and a newer job supersedes one of the same key still waiting: the waiting
   * one is dropped, a running one has its `signal` aborted. Throws
   * `QueueStoppedError` once `stop()` was called.
   */
  send(name: JobName, payload: object, options?: SendOptions): Promise<SendResult>;
  /** Starts working jobs of `name` with `handler`; a handler that throws has its job retried. */
  work(name: JobName, handler: JobHandler, options?: WorkOptions): Promise<void>;
  /**
   * Runs `name` on a cron schedule, once per occurrence across every replica
   * (pg-boss's `schedule()`; croner in one process). The handler receives a
   * `ScheduledJob` payload. Throws `ScheduleError` for a bad expression or time zone.
   */
  schedule(name: JobName, cron: string, options: ScheduleOptions): Promise<void>;
  /** Jobs waiting or running, for /metrics. */
  depth(): Promise<number>;
  /** Throws when the queue cannot take work (its database is unreachable, or it is stopping), for /readyz. */
  ping(): Promise<void>;
  /**
   * Stops taking jobs and waits up to `timeoutMs` for running ones, then aborts
   * their signals (reason `shutdown`). What is left is handed back: pg-boss
   * retries it on another replica; the in-process engine loses it and says so
   * through `WorkOptions.onLost`.
   */
  stop(options: { readonly timeoutMs: number }): Promise<void>;
}

export interface SendOptions {
  readonly singletonKey?: string;
  /**
   * With `singletonKey`: how recent the state this job describes is (for a pull
   * request, its `updated_at` in milliseconds). A job supersedes jobs of its key
   * with a lower or equal order; one that arrives with a lower order than a job
   * of its key already sent is stale and not queued — deliveries can arrive out
   * of order. Without an order, the job supersedes whatever was sent before it.
   */
  readonly order?: number;
}

export type SendResult =
  | { readonly status: 'queued' /** Waiting jobs of the same key this one replaced. */; readonly superseded: number }
  /** A job of the same key describing a more recent state was already sent: nothing was queued. */
  | { readonly status: 'stale' };

/** A job's handler: the payload as sent (validate it), and what the queue knows about this run. */
export type JobHandler = (payload: unknown, context: JobContext) => Promise<void>;

export interface JobContext {
  /** 1 for the first run, 2 for the first retry… */
  readonly attempt: number;
  /** When this run throws, the job is not retried again (the queue gives up on it). */
  readonly finalAttempt: boolean;
  /**
   * Aborted when a newer job of the same singleton key was sent (reason
   * `superseded`: stop and do not write anything), when the run outlives its
   * time limit (`timeout`: stop and throw, so that it is retried), or when the
   * queue stops and the drain timeout has passed (`shutdown`: stop; the job is
   * handed back, whether the handler returns or throws).
   */
  readonly signal: AbortSignal;
  /** Whether a newer job of the same singleton key was sent since this one; asks the database on pg-boss. */
  isSuperseded(): Promise<boolean>;
}

export type AbortReason = 'superseded' | 'timeout' | 'shutdown';

export interface WorkOptions {
  /** Jobs of this name run at most this many at a time in this process. */
  readonly concurrency?: number;
  /**
   * Called for each job of this name that this process drops unfinished: the
   * in-process engine at shutdown (it keeps nothing on disk). pg-boss never
   * drops a job: it goes back to the database and another replica retries it.
   */
  readonly onLost?: (payload: unknown) => Promise<void>;
}

export interface ScheduleOptions {
  /** IANA time zone the cron expression is read in; UTC by default. */
  readonly timezone?: string;
}

/** `send()` after `stop()`: the service is shutting down and takes no more work. */
export class QueueStoppedError extends Error {
  constructor() {
    super('the job queue is stopping and takes no more jobs');
    this.name = 'QueueStoppedError';
  }
}

/** A cron expression or time zone that cannot be scheduled. */
export class ScheduleError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ScheduleError';
  }
}
