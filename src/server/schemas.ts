/** JSON Schemas shared by the routes' declarations. */

/** Every 4xx and 5xx answer: one message, never a stack or an internal detail. */
export const ErrorReply = {
  type: 'object',
  required: ['message'],
  properties: { message: { type: 'string' } },
  additionalProperties: false,
} as const;

export const HealthReply = {
  type: 'object',
  required: ['status'],
  properties: { status: { type: 'string', enum: ['ok'] } },
  additionalProperties: false,
} as const;

/** `/readyz`: overall status, and each dependency's. */
export const ReadyReply = {
  type: 'object',
  required: ['status', 'store', 'queue', 'engine'],
  properties: {
    status: { type: 'string', enum: ['ready', 'unavailable', 'draining'] },
    store: { type: 'string', enum: ['ok', 'unavailable'] },
    queue: { type: 'string', enum: ['ok', 'unavailable'] },
    engine: { type: 'string', enum: ['in-process', 'pg-boss'] },
  },
  additionalProperties: false,
} as const;

/** Prometheus text exposition. */
export const MetricsReply = { type: 'string' } as const;
