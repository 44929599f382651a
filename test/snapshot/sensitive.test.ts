import { describe, expect, it } from 'vitest';
import { classify, hasSecretShape, isSensitiveName, maskUrlPassword, wordsOf } from '../../src/snapshot/sensitive.js';

describe('snapshot/sensitive', () => {
  it('splits names into words whatever the casing', () => {
    expect(wordsOf('clientSecret')).toEqual(['client', 'secret']);
    expect(wordsOf('GLOBAL_OAUTH_CLIENT_SECRET')).toEqual(['global', 'oauth', 'client', 'secret']);
    expect(wordsOf('private-key')).toEqual(['private', 'key']);
    expect(wordsOf('HTTPSProxy')).toEqual(['https', 'proxy']);
  });

  it.each([
    'password',
    'db_password',
    'clientSecret',
    'GITHUB_TOKEN',
    'api-key',
    'apiKey',
    'PRIVATE_KEY',
    'credentials',
  ])('treats %s as a secret name', (name) => expect(isSensitiveName(name)).toBe(true));

  it.each(['monkey', 'keyboard', 'host', 'token_ttl', 'password_min_length', 'secret_name', 'TZ', 'replicas'])(
    'does not treat %s as a secret name',
    (name) => expect(isSensitiveName(name)).toBe(false),
  );

  it.each([
    ['ghp_0123456789abcdefghijABCDEFGHIJ012345'],
    ['xoxb-123456789012-abcdefghijkl'],
    ['AKIAIOSFODNN7EXAMPLE'],
    ['-----BEGIN RSA PRIVATE KEY-----\nMIIE...'],
    ['eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U'],
    ['https://api.example.com/v1?api_key=abcdef123'],
  ])('recognises the secret shape of %s', (value) => expect(hasSecretShape(value)).toBe(true));

  it('masks only the password of a URL', () => {
    expect(maskUrlPassword('postgres://app:s3cret@db.internal:5432/app')).toBe(
      'postgres://app:****@db.internal:5432/app',
    );
    expect(maskUrlPassword('https://example.com/a:b@c')).toBeUndefined();
    expect(maskUrlPassword('redis://db.internal:6379')).toBeUndefined();
  });

  it('classifies by Kubernetes Secret, URL password, value shape and key name, in that order', () => {
    expect(classify(['data', 'x'], 'plain', true)).toEqual({ sensitive: true, reason: 'kubernetes-secret' });
    expect(classify(['db', 'url'], 'mysql://root:pw@h/db', false)).toEqual({
      sensitive: true,
      reason: 'url-password',
      shown: 'mysql://root:****@h/db',
    });
    expect(classify(['notes'], 'AKIAIOSFODNN7EXAMPLE', false)).toEqual({ sensitive: true, reason: 'value-shape' });
    expect(classify(['db', 'password'], 'hunter2', false)).toEqual({ sensitive: true, reason: 'key-name' });
    expect(classify(['hosts', 0], 'a', false)).toEqual({ sensitive: false });
  });

  it('never hides booleans, nulls and empty values: they carry no secret', () => {
    expect(classify(['auth', 'password'], true, false)).toEqual({ sensitive: false });
    expect(classify(['password'], null, false)).toEqual({ sensitive: false });
    expect(classify(['password'], '', false)).toEqual({ sensitive: false });
  });
});

describe('snapshot/sensitive placeholders', () => {
  it.each(['${DB_PASSWORD}', '$DB_PASSWORD', '{{ .Values.db.password }}', '<your-token>', 'changeme', '****'])(
    'shows the placeholder %s: it stands for a secret, it is not one',
    (value) => expect(classify(['db', 'password'], value, false)).toEqual({ sensitive: false }),
  );

  it('still hides a Kubernetes Secret value that looks like a placeholder', () => {
    expect(classify(['data', 'password'], '${X}', true).sensitive).toBe(true);
  });
});
