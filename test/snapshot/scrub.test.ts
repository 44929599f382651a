import { describe, expect, it } from 'vitest';
import { scrubProblem, scrubSecrets } from '../../src/snapshot/scrub.js';

describe('snapshot/scrub', () => {
  it.each([
    // curl -v prints the request headers on stderr.
    ['> Authorization: Bearer 8f14e45fceea167a5a36dedd4bea2543', '> Authorization: Bearer ****'],
    [`> Authorization: Basic ${Buffer.from('deploy:hunter2').toString('base64')}`, '> Authorization: Basic ****'],
    ['> X-Api-Key: 0b7c91d4e2\n< HTTP/1.1 401', '> X-Api-Key: ****\n< HTTP/1.1 401'],
    [
      'fatal: could not read from https://deploy:hunter2@git.acme.io/app.git',
      'fatal: could not read from https://deploy:****@git.acme.io/app.git',
    ],
    [
      'POST https://0123456789abcdef0123456789abcdef@o1.ingest.sentry.io/2 failed',
      'POST https://****@o1.ingest.sentry.io/2 failed',
    ],
    [
      'Location: https://cb.acme.io/done?code=x&access_token=tok3n99',
      'Location: https://cb.acme.io/done?code=x&access_token=****',
    ],
    ['error: DB_PASSWORD=7391 rejected', 'error: DB_PASSWORD=**** rejected'],
    ['command: fetch-config --api-token=8f14e45f --retry 3', 'command: fetch-config --api-token=**** --retry 3'],
    ['{"error":"bad","password":"hunter2","user":"app"}', '{"error":"bad","password":"****","user":"app"}'],
    ["db: {password: 'hunter2'}", "db: {password: '****'}"],
    [
      'AccountName=acme;AccountKey=Zm9vYmFyYmF6cXV4==;EndpointSuffix=core',
      'AccountName=acme;AccountKey=****;EndpointSuffix=core',
    ],
    ['token ghp_0123456789abcdefghijABCDEFGHIJ012345 is revoked', 'token **** is revoked'],
    [
      'key: -----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----',
      'key: -----BEGIN RSA PRIVATE KEY----- ****',
    ],
  ])('masks %j', (text, scrubbed) => expect(scrubSecrets(text)).toBe(scrubbed));

  it.each([
    // The rest of driftwatch's own messages stays as written.
    'exited with code 1; stderr ends with:',
    'token: expected a string, got number',
    "secrets.always.0: invalid key glob 'a..b': empty segment",
    'expected KEY=VALUE',
    'password_min_length=8 is below the policy',
    'HTTP 401 Unauthorized: Bearer authentication required',
    'environment variable API_TOKEN is not set (used in header Authorization)',
    'task access_tokens:renew_expiring failed',
    'postgres://app:${DB_PASSWORD}@db/app',
    'FEATURE_AUTH=true',
  ])('keeps %j', (text) => expect(scrubSecrets(text)).toBe(text));

  it('scrubs the message, source and file of a problem, and keeps its position', () => {
    expect(
      scrubProblem({
        source: "command: curl -H 'Authorization: Bearer 8f14e45fceea167a5a36' https://config",
        file: 'https://deploy:hunter2@config.acme.io/app.yaml',
        line: 3,
        column: 7,
        message: 'HTTP 500: {"token": "8f14e45fceea"}',
      }),
    ).toEqual({
      source: "command: curl -H 'Authorization: Bearer ****' https://config",
      file: 'https://deploy:****@config.acme.io/app.yaml',
      line: 3,
      column: 7,
      message: 'HTTP 500: {"token": "****"}',
    });
  });
});
