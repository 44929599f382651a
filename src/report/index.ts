import { githubReporter } from './github.js';
import { htmlReporter } from './html.js';
import { jsonReporter } from './json.js';
import { junitReporter } from './junit.js';
import { markdownReporter } from './markdown.js';
import type { Reporter, ReportFormat } from './report.js';
import { sarifReporter } from './sarif.js';
import { textReporter } from './text.js';

/** Every reporter, by format. A new format is one module and one line here. */
export const reporters: Readonly<Record<ReportFormat, Reporter>> = {
  text: textReporter,
  json: jsonReporter,
  markdown: markdownReporter,
  sarif: sarifReporter,
  junit: junitReporter,
  github: githubReporter,
  html: htmlReporter,
};

/** The formats `--format` accepts, in registration order. (`Object.keys` loses the key type; the record above is exhaustive.) */
export const REPORT_FORMATS = Object.freeze(Object.keys(reporters) as ReportFormat[]);

/** Narrows a `--format` argument. */
export function isReportFormat(value: string): value is ReportFormat {
  return Object.hasOwn(reporters, value);
}
