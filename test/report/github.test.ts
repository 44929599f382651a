import { describe, expect, it } from 'vitest';
import { githubReporter } from '../../src/report/github.js';
import type { Report } from '../../src/report/report.js';
import {
  baselineFinding,
  cleanReport,
  completedReport,
  HOSTILE_KEY,
  HOSTILE_MESSAGE,
  HOSTILE_VALUES,
  sampleReport,
} from './sample-report.js';

function lines(report: Report): string[] {
  const output = githubReporter(report, { color: false });
  expect(output.endsWith('\n')).toBe(true);
  return output.slice(0, -1).split('\n');
}

interface WorkflowCommand {
  readonly command: string;
  readonly properties: Record<string, string>;
  readonly message: string;
}

/** Reads a line back as the Actions runner does: `::name k=v,k=v::data`, then unescapes. */
function parseCommand(line: string): WorkflowCommand {
  const match = /^::([a-z]+)(?: ([^:]*))?::(.*)$/.exec(line);
  if (!match) throw new Error(`not a workflow command: ${line}`);
  const [, command = '', rawProperties = '', rawMessage = ''] = match;
  const unescapeData = (text: string) => text.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%');
  const unescapeProperty = (text: string) => unescapeData(text.replace(/%3A/g, ':').replace(/%2C/g, ','));
  const properties: Record<string, string> = {};
  for (const pair of rawProperties ? rawProperties.split(',') : []) {
    const equals = pair.indexOf('=');
    properties[pair.slice(0, equals)] = unescapeProperty(pair.slice(equals + 1));
  }
  return { command, properties, message: unescapeData(rawMessage) };
}

describe('report/github', () => {
  it('reports source errors first as ::error', () => {
    const [first, second] = lines(sampleReport());
    expect(first).toBe(
      '::error file=config/production/broken.yaml,line=3,col=7,title=driftwatch could not read a source::config/production/*.yaml: could not parse YAML: bad indentation of a mapping entry (production)',
    );
    expect(second).toBe(
      '::error title=driftwatch could not read a source::https://config.internal/production.json: HTTP 503 Service Unavailable (production)',
    );
  });

  it('annotates each finding on its first location, with the level of its severity', () => {
    const output = lines(completedReport());
    expect(output[0]).toBe(
      '::error file=config/production/db.yaml,line=7,title=no-shared-secrets%3A db.password::db.password (production, staging): staging and production share the same value.%0Aproduction: fp:1a2b3c4d%0Astaging: fp:1a2b3c4d%0Aalso in staging: config/staging/db.yaml:7',
    );
    expect(output[1]).toBe(
      '::error file=config/production/app.yaml,line=14,col=3,title=retired-global-oauth%3A oauth.global.client_id::oauth.global.client_id (production): Global OAuth credentials are retired; tenants use their own.%0Aproduction: legacy-client-0042%0Aalso in production: deploy/production.env:2',
    );
    expect(output[2]).toBe(
      '::warning file=deploy/development.env,title=utc-everywhere%3A TZ::TZ (development): TZ must equal UTC.%0Adevelopment: Europe/Paris',
    );
    expect(output).toContain(
      '::notice title=stale-keys%3A legacy.timeout::legacy.timeout (staging): No code reads legacy.timeout.',
    );
  });

  it('skips baseline findings', () => {
    const output = lines(completedReport());
    expect(output.some((line) => line.includes('cache.ttl'))).toBe(false);
    // 5 current findings and the summary.
    expect(output).toHaveLength(6);
  });

  it('escapes data and properties so that every finding stays one command and reads back exactly', () => {
    const output = lines(completedReport());
    const hostile = output.find((line) => line.includes('same-feature-flags')) ?? '';
    expect(hostile).toContain('file=config/production/flags%2C 100%25.yaml,line=4,');
    expect(hostile).toContain('title=same-feature-flags%3A features.<script>alert(1)</script>|new%2Ccheckout%3A%25::');
    const parsed = parseCommand(hostile);
    expect(parsed).toEqual({
      command: 'warning',
      properties: {
        file: 'config/production/flags, 100%.yaml',
        line: '4',
        title: `same-feature-flags: ${HOSTILE_KEY}`,
      },
      message: [
        `${HOSTILE_KEY} (production, staging): ${HOSTILE_MESSAGE}`,
        `production: ${HOSTILE_VALUES.production}`,
        `staging: ${HOSTILE_VALUES.staging}`,
        'also in staging: config/staging/flags.yaml:4',
      ].join('\n'),
    });
    for (const line of output.slice(0, -1)) expect(line.startsWith('::')).toBe(true);
    expect(output.join('\n')).not.toContain('\r');
  });

  it('ends with a plain summary line', () => {
    expect(lines(completedReport()).at(-1)).toBe(
      'driftwatch: 2 errors, 2 warnings, 1 notice (1 known from baseline) across development, staging, production',
    );
    expect(lines(sampleReport()).at(-1)).toBe(
      'driftwatch: the check could not be completed (2 source errors); found so far 2 errors, 2 warnings, 1 notice (1 known from baseline)',
    );
    expect(lines(cleanReport())).toEqual(['driftwatch: no drift found across development, staging, production']);
    const onlyKnown: Report = { ...cleanReport(), findings: [baselineFinding()] };
    expect(lines(onlyKnown)).toEqual([
      'driftwatch: no new drift found across development, staging, production (1 known from baseline)',
    ]);
  });

  it('annotates on the run, not on a file, what came from a URL, a command or the environment', () => {
    const finding = baselineFinding();
    const report: Report = {
      ...completedReport(),
      findings: [
        {
          ...finding,
          baseline: undefined,
          locations: [{ env: 'production', file: 'command: kubectl get configmap app', inRepository: false }],
        },
      ],
      errors: [{ source: 'env', env: 'production', message: 'nothing matches APP_', file: 'env', inRepository: false }],
    };
    const [error, annotation] = lines(report).slice(0, -1).map(parseCommand);
    expect(error?.properties).toEqual({ title: 'driftwatch could not read a source' });
    expect(annotation?.properties).toEqual({ title: 'cache-parity: cache.ttl' });
    expect(annotation?.message.split('\n').at(-1)).toBe('in production: command: kubectl get configmap app');
  });
});
