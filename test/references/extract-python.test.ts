import { describe, expect, it } from 'vitest';
import { pythonExtractor } from '../../src/references/extract-python.js';

describe('references/extract-python', () => {
  it('reads os.environ, os.environ.get, os.getenv and names imported from os', () => {
    const text = [
      'import os',
      'from os import environ, getenv',
      '',
      'DATABASE_URL = os.environ["DATABASE_URL"]',
      "DEBUG = os.environ.get('DEBUG', 'false') == 'true'",
      'SENTRY_DSN = os.getenv("SENTRY_DSN")',
      "TIMEOUT = int(getenv('TIMEOUT', '30'))",
      "REGION = environ.get('AWS_REGION')",
    ].join('\n');
    expect(pythonExtractor.extract(text)).toEqual({
      references: [
        { name: 'DATABASE_URL', line: 4, column: 16, style: 'env' },
        { name: 'DEBUG', line: 5, column: 9, style: 'env', optional: true },
        { name: 'SENTRY_DSN', line: 6, column: 14, style: 'env' },
        { name: 'TIMEOUT', line: 7, column: 15, style: 'env', optional: true },
        { name: 'AWS_REGION', line: 8, column: 10, style: 'env' },
      ],
      unresolvable: [],
    });
  });

  it('reports dynamic reads and skips writes, comments and other objects', () => {
    const text = [
      'for name in REQUIRED:',
      '    value = os.environ[name]',
      '    other = os.getenv(f"APP_{name}")',
      '# os.getenv("COMMENTED")',
      'os.environ["WRITTEN"] = "1"',
      'request.environ["HTTP_HOST"]',
      'env = dict(os.environ)',
    ].join('\n');
    expect(pythonExtractor.extract(text)).toEqual({
      references: [],
      unresolvable: [
        { line: 2, column: 13, snippet: 'os.environ[name]' },
        { line: 3, column: 13, snippet: 'os.getenv(f"APP_{name}")' },
      ],
    });
  });
});
