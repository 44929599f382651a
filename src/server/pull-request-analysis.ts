import { Counter } from 'prom-client';
import type { AnalysisOutcome } from '../github/observability.js';
import { createPullRequestAnalyzer } from '../github/pull-request-analyzer.js';
import type { AnalyzerFactory } from './start-server.js';

/**
 * The PR bot as the service runs it: the analysis of `src/github`, with its
 * observations counted in the service's metrics. The worker around it counts
 * runs (completed, retried, superseded); this counts what a run concluded
 * (reported on the pull request, no driftwatch.yaml there, closed, failed).
 */
export const createPullRequestAnalysis: AnalyzerFactory = (context) => {
  const results = new Counter({
    name: 'driftwatch_pull_request_results_total',
    help: 'What pull request analyses concluded: reported, superseded, no-config, closed or failed.',
    labelNames: ['result'],
    registers: [context.metrics.registry],
  });
  return createPullRequestAnalyzer({
    settings: context.github,
    store: context.store,
    fingerprintKey: context.fingerprintKey,
    logger: context.logger,
    metrics: {
      analysisFinished(outcome: AnalysisOutcome) {
        results.inc({ result: outcome });
      },
      githubApiError({ status }) {
        context.metrics.githubApiErrors.inc({ status: String(status) });
      },
    },
  });
};
