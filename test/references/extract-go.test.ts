import { describe, expect, it } from 'vitest';
import { goExtractor } from '../../src/references/extract-go.js';

describe('references/extract-go', () => {
  it('reads os.Getenv and os.LookupEnv (optional), raw strings too', () => {
    const text = [
      'package main',
      '',
      'import "os"',
      '',
      'func main() {',
      '\taddr := os.Getenv("LISTEN_ADDR")',
      '\tif token, ok := os.LookupEnv(`GITHUB_TOKEN`); ok {',
      '\t\t_ = token',
      '\t}',
      '\t// os.Getenv("COMMENTED")',
      '\t_ = os.Getenv(prefix + "_URL")',
      '}',
    ].join('\n');
    expect(goExtractor.extract(text)).toEqual({
      references: [
        { name: 'LISTEN_ADDR', line: 6, column: 10, style: 'env' },
        { name: 'GITHUB_TOKEN', line: 7, column: 18, style: 'env', optional: true },
      ],
      unresolvable: [{ line: 11, column: 6, snippet: 'os.Getenv(prefix + "_URL")' }],
    });
  });
});
