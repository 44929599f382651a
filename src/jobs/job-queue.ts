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
   * and a newer job supersedes one of the same key still waiting.
   */
  send(name: JobName, payload: object, options?: SendOptions): Promise<void>;
  /** Starts working jobs of `name` with `handler`; a handler that throws has its job retried. */
  work(name: JobName, handler: (payload: unknown) => Promise<void>, options?: WorkOptions): Promise<void>;
  /**
   * Runs `name` on a cron schedule, once per occurrence across every replica
   * (pg-boss's `schedule()`; croner in one process).
   */
  schedule(name: JobName, cron: string, options: ScheduleOptions): Promise<void>;
  /** Jobs waiting or running, for /metrics. */
  depth(): Promise<number>;
  /** Throws when the queue cannot take work (its database is unreachable), for /readyz. */
  ping(): Promise<void>;
  /** Stops taking jobs and waits up to `timeoutMs` for running ones; what is left is handed back (retried later). */
  stop(options: { readonly timeoutMs: number }): Promise<void>;
}

export interface SendOptions {
  readonly singletonKey?: string;
}

export interface WorkOptions {
  /** Jobs of this name run at most this many at a time in this process. */
  readonly concurrency?: number;
}

export interface ScheduleOptions {
  /** IANA time zone the cron expression is read in; UTC by default. */
  readonly timezone?: string;
}
