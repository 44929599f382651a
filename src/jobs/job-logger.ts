/** What the job layer logs through: pino's shape, so the service passes its logger as is. */
export interface JobLogger {
  debug(details: object, message: string): void;
  info(details: object, message: string): void;
  warn(details: object, message: string): void;
  error(details: object, message: string): void;
}

/** For callers (tests, one-shot commands) that have nowhere to log. */
export const SILENT_JOB_LOGGER: JobLogger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
};

/** An error as log details: its message, never the payload it may have been thrown over. */
export function errorDetails(error: unknown): { error: { name: string; message: string } } {
  if (error instanceof Error) return { error: { name: error.name, message: error.message } };
  return { error: { name: 'Error', message: String(error) } };
}
