/** What `driftwatch report` accepts; apart from the command so that declaring it loads nothing of Slack. */
export const REPORT_DESTINATIONS = ['stdout', 'slack'] as const;
export const REPORT_OUTPUT_FORMATS = ['text', 'json', 'markdown', 'slack'] as const;
