import { CronPattern } from 'croner';
import * as z from 'zod';

/** `${SLACK_WEBHOOK_URL}`: filled in from the environment when the report is sent, never written down. */
export const ENV_VARIABLE = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

/**
 * A cron expression of five fields, read in its block's time zone. Minute grain,
 * because that is what the cluster's scheduler (pg-boss) runs at: a seconds
 * field would be read differently by croner and by pg-boss.
 */
export const CronSchedule = z.string().superRefine((expression, context) => {
  const fields = expression.trim().split(/\s+/);
  if (fields.length !== 5) {
    context.addIssue({
      code: 'custom',
      message: `a schedule is a cron expression of five fields (minute hour day month weekday), such as "0 8 * * 1-5"; got ${fields.length}`,
    });
    return;
  }
  try {
    new CronPattern(expression);
  } catch (error) {
    const reason = error instanceof Error ? error.message.replace(/^CronPattern:\s*/, '') : String(error);
    context.addIssue({ code: 'custom', message: `not a valid cron expression: ${reason}` });
  }
});

/** An IANA time zone (`Europe/Berlin`, `UTC`), normalised to its canonical spelling. */
export const TimeZone = z.string().transform((zone, context) => {
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone;
  } catch {
    context.addIssue({
      code: 'custom',
      message: `unknown time zone '${zone}'; expected an IANA name such as Europe/Berlin or UTC`,
    });
    return z.NEVER;
  }
});

/**
 * The webhook URL is a credential (whoever has it can post to the channel):
 * the config names the environment variable that holds it, never the URL.
 */
const WebhookTemplate = z
  .string()
  .min(1)
  .refine((template) => new RegExp(ENV_VARIABLE.source).test(template), {
    error:
      'a Slack webhook URL is a secret: write "${SLACK_WEBHOOK_URL}" (or another variable) and set it in the environment',
  })
  .refine((template) => !template.replace(ENV_VARIABLE, '').includes('${'), {
    error: "'${' must start a variable reference such as ${SLACK_WEBHOOK_URL}",
  });

/** `report:` in driftwatch.yaml: the drift digest (`driftwatch report`, and `serve` on its schedule). */
export const ReportConfig = z.strictObject({
  /** When `serve` sends the report; `driftwatch report` ignores it, but a bad one is an error all the same. */
  schedule: CronSchedule.optional(),
  /** The time zone dates in the report are shown in (and the schedule is read in). */
  timezone: TimeZone.default('UTC'),
  slack: z.strictObject({ webhook: WebhookTemplate.optional() }).optional(),
  /** Where the details are (a dashboard, a CI job): the report links to it. */
  link: z
    .url({ protocol: /^https?$/, error: 'link must be an http:// or https:// URL' })
    .max(500, 'link is at most 500 characters: it has to fit in a chat message')
    .optional(),
  /** `skip`: on a day with nothing new and nothing resolved, send nothing. */
  quiet: z
    .enum(['send', 'skip'], { error: 'quiet is send (say so on a quiet day) or skip (send nothing)' })
    .default('send'),
});
export type ReportConfig = z.infer<typeof ReportConfig>;

export const DEFAULT_REPORT_CONFIG: ReportConfig = { timezone: 'UTC', quiet: 'send' };
