import { describe, expect, it } from 'vitest';
import { SourceError } from '../../src/errors.js';
import { EnvSourceSpec, envSource } from '../../src/sources/env.js';
import { diskFileTree } from '../../src/sources/file-tree.js';

const env = {
  TZ: 'UTC',
  APP_DB_HOST: 'db.internal',
  APP_: 'named exactly like the filter',
  APP_API_URL: 'https://api.example.com',
  HOME: '/home/app',
  UNSET: undefined,
};

function read(raw: unknown, variables: Record<string, string | undefined> = env) {
  return envSource.read(EnvSourceSpec.parse(raw), { configDir: '.', env: variables, files: diskFileTree('.') });
}

describe('sources/env', () => {
  it('reads every variable as a string leaf without a line, sorted by name', async () => {
    expect(await read({ env: true })).toEqual([
      {
        origin: 'env',
        leaves: [
          { path: ['APP_'], value: 'named exactly like the filter', type: 'string', line: 0, column: 0 },
          { path: ['APP_API_URL'], value: 'https://api.example.com', type: 'string', line: 0, column: 0 },
          { path: ['APP_DB_HOST'], value: 'db.internal', type: 'string', line: 0, column: 0 },
          { path: ['HOME'], value: '/home/app', type: 'string', line: 0, column: 0 },
          { path: ['TZ'], value: 'UTC', type: 'string', line: 0, column: 0 },
        ],
      },
    ]);
  });

  it('keeps only the variables whose names start with `only`', async () => {
    const [document] = await read({ env: { only: 'APP_' } });
    expect(document && 'leaves' in document ? document.leaves.map((leaf) => leaf.path) : []).toEqual([
      ['APP_API_URL'],
      ['APP_DB_HOST'],
    ]);
  });

  it('strips the `only` prefix from the keys when asked', async () => {
    const [document] = await read({ env: { only: 'APP_', strip: true } });
    expect(document).toEqual({
      origin: 'env',
      leaves: [
        { path: ['API_URL'], value: 'https://api.example.com', type: 'string', line: 0, column: 0 },
        { path: ['DB_HOST'], value: 'db.internal', type: 'string', line: 0, column: 0 },
      ],
    });
  });

  it('fails closed when the filter matches nothing', async () => {
    const error = await read({ env: { only: 'PAYMENTS_' } }).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(SourceError);
    expect((error as SourceError).problems).toEqual([
      {
        source: 'env: PAYMENTS_*',
        message:
          "no environment variable starts with 'PAYMENTS_' (a filter that matches nothing is an error, not an empty environment; set 'allowEmpty: true' on the source if that can be right)",
      },
    ]);
  });

  it('gives no leaves, and no error, for a filter matching nothing when the source allows it', async () => {
    expect(await read({ env: { only: 'PAYMENTS_' }, allowEmpty: true })).toEqual([{ origin: 'env', leaves: [] }]);
  });

  it('fails closed on an empty environment', async () => {
    await expect(read({ env: true }, {})).rejects.toThrow('the environment has no variables');
  });

  it('describes itself by its filter', () => {
    expect(envSource.describe(EnvSourceSpec.parse({ env: true }))).toBe('env');
    expect(envSource.describe(EnvSourceSpec.parse({ env: { only: 'APP_' } }))).toBe('env: APP_*');
    expect(envSource.describe(EnvSourceSpec.parse({ env: { only: 'APP_', strip: true } }))).toBe(
      'env: APP_* (prefix stripped)',
    );
  });

  it('accepts env: true or a filter, with a mount prefix', () => {
    expect(EnvSourceSpec.safeParse({ env: true, prefix: 'process' }).success).toBe(true);
    expect(EnvSourceSpec.safeParse({ env: {} }).success).toBe(true);
  });

  it('rejects what it cannot honour', () => {
    const messages = (raw: unknown) => EnvSourceSpec.safeParse(raw).error?.issues.map((issue) => issue.message);
    expect(messages({ env: false })).toEqual(["expected 'env: true' or 'env: {only: APP_, strip: true}'"]);
    expect(messages({ env: { strip: true } })).toEqual([
      'strip removes the `only` prefix from names, so it needs `only`',
    ]);
    // A format would be ignored: the variables are leaves already.
    expect(EnvSourceSpec.safeParse({ env: true, format: 'dotenv' }).success).toBe(false);
    expect(EnvSourceSpec.safeParse({ env: { prefix: 'APP_' } }).success).toBe(false);
  });
});
