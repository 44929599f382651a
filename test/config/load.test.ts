import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { ConfigError } from '../../src/errors.js';

function problemsOf(text: string) {
  try {
    parseConfig(text, '/repo/driftwatch.yaml', 'driftwatch.yaml');
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error('expected a ConfigError');
}

describe('config/load', () => {
  it('reads environments in file order with their sources', () => {
    const config = parseConfig(
      [
        'version: 1',
        'environments:',
        '  staging:',
        '    sources:',
        '      - path: config/staging/*.yaml',
        '      - path: deploy/staging.env',
        '        format: dotenv',
        '  production:',
        '    sources:',
        '      - path: [config/production/app.yaml]',
        '        prefix: app',
        'rules: [rules/*.yaml]',
      ].join('\n'),
      '/repo/driftwatch.yaml',
    );
    expect(config.dir).toBe('/repo');
    expect(config.environments.map((environment) => environment.name)).toEqual(['staging', 'production']);
    expect(config.environments[0]?.sources.map((source) => [source.kind, source.label])).toEqual([
      ['path', 'config/staging/*.yaml'],
      ['path', 'deploy/staging.env'],
    ]);
    expect(config.environments[1]?.sources[0]?.spec.prefix).toBe('app');
    expect(config.rules).toEqual(['rules/*.yaml']);
  });

  it('names the file, line and column of an unknown source kind, and lists the kinds', () => {
    const problems = problemsOf(
      [
        'version: 1',
        'environments:',
        '  production:',
        '    sources:',
        '      - path: a.yaml',
        '      - comand: [kubectl, get, configmap]',
      ].join('\n'),
    );
    expect(problems).toEqual([
      {
        file: 'driftwatch.yaml',
        line: 6,
        column: 9,
        message:
          "environments.production.sources[1]: unknown source kind 'comand'; expected one of git, url, command, env, path",
      },
    ]);
  });

  it('lists every mistake at once, each at its own line', () => {
    const problems = problemsOf(
      [
        'version: 2',
        'environments:',
        '  staging:',
        '    sources:',
        '      - path: a.yaml',
        '        fromat: yaml',
        '  production:',
        '    sources: []',
        'rulez: []',
      ].join('\n'),
    );
    expect(problems.map((problem) => [problem.line, problem.message])).toEqual([
      [1, 'version: expected version: 1'],
      [8, 'environments.production.sources: an environment needs at least one source'],
      [9, "rulez: unknown field 'rulez'"],
    ]);
  });

  it('checks each source against its own schema after the file as a whole is valid', () => {
    const problems = problemsOf(
      [
        'version: 1',
        'environments:',
        '  staging:',
        '    sources:',
        '      - path: a.yaml',
        '        fromat: yaml',
      ].join('\n'),
    );
    expect(problems).toEqual([
      {
        file: 'driftwatch.yaml',
        line: 6,
        column: 9,
        message: "environments.staging.sources[0].fromat: unknown field 'fromat'",
      },
    ]);
  });

  it('reports YAML syntax errors with line and column', () => {
    const problems = problemsOf('version: 1\nenvironments:\n  staging: [\n');
    expect(problems[0]?.file).toBe('driftwatch.yaml');
    expect(problems[0]?.line).toBeGreaterThan(0);
  });

  it('rejects an empty file and a file that is not a map', () => {
    expect(problemsOf('').map((problem) => problem.message)).toContain('version: expected version: 1');
    expect(problemsOf('- a\n- b\n')[0]?.message).toMatch(/expected object/i);
  });
});
