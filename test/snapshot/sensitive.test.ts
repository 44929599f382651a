import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { declaredSecrets } from '../../src/snapshot/declared-secrets.js';
import { classify, hasSecretShape, isSensitiveName, maskUrlPassword, wordsOf } from '../../src/snapshot/sensitive.js';

describe('snapshot/sensitive', () => {
  it('splits names into words whatever the casing', () => {
    expect(wordsOf('clientSecret')).toEqual(['client', 'secret']);
    expect(wordsOf('GLOBAL_OAUTH_CLIENT_SECRET')).toEqual(['global', 'oauth', 'client', 'secret']);
    expect(wordsOf('private-key')).toEqual(['private', 'key']);
    expect(wordsOf('HTTPSProxy')).toEqual(['https', 'proxy']);
  });

  it('splits a name in one case as the two case-boundary replacements would', () => {
    const bothReplacements = (name: string) =>
      name
        .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
        .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
        .toLowerCase()
        .split(/[^a-z0-9]+/)
        .filter((word) => word !== '');
    const nameCharacter = fc.constantFrom(...'aAbBzZ09_-. É'.split(''));
    fc.assert(
      fc.property(fc.array(nameCharacter, { maxLength: 12 }), (characters) => {
        const name = characters.join('');
        expect(wordsOf(name)).toEqual(bothReplacements(name));
      }),
      { numRuns: 2000 },
    );
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

describe('snapshot/sensitive: inherited from any segment of the path', () => {
  it.each([
    [['password', 'admin']],
    [['secrets', 'stripe']],
    [['secrets', 'stripe', 'live']],
    [['passwords', 0]],
    [['keys', 'signing']],
    [['db', 'credentials', 'primary']],
    [['api_keys', 2]],
    [['keys', 'opencollective', 'apiKey']],
  ])('hides %j: a container of secrets', (path) => {
    expect(classify(path, 'x7Gq2p', false)).toEqual({ sensitive: true, reason: 'key-name' });
  });

  it.each([
    // A descriptive name on the way stops it.
    [['password', 'policy', 'min_length'], '12'],
    [['secrets', 'password_min_length'], 'twelve'],
    [['token_ttl'], 'long'],
    // Names of Secrets and of their keys are references, not secrets (alphagov's extraEnv: 873 false alarms).
    [['extraEnv', 'GDS_SSO_OAUTH_SECRET', 'valueFrom', 'secretKeyRef', 'key'], 'oauth_secret'],
    [['extraEnv', 'GDS_SSO_OAUTH_SECRET', 'valueFrom', 'secretKeyRef', 'name'], 'signon-app-account-api'],
    [['envFrom', 0, 'secretRef', 'name'], 'app-secrets'],
    // Broad words name a topic; they decide only for the key they end.
    [['auth', 'issuer'], 'https-issuer'],
    // Phrases that mention secrets are not containers of them (alphagov's cron tasks).
    [['cronTasks', 'sync-token-secrets-to-k8s', 'task'], 'secrets:sync_to_k8s'],
    [['cronTasks', 'auto-rotate-internal-tokens', 'task'], 'access_tokens:renew_expiring_internal_tokens'],
    // A bare `key:` names lookup keys (macrozheng/mall's redis keys), a bare `keys` list names fields (juspay).
    [['redis', 'key', 'admin'], 'ums:admin'],
    [['unmasked_headers', 'keys', 0], 'x-request-id'],
    // Certificates and their managers are public.
    [['metadata', 'annotations', 'cert-manager.io/issuer'], 'cf-origin-ca-issuer'],
    // Public keys are published; rates about passwords are limits (opencollective).
    [['alipay', 'alipayPublicKey'], 'MIIBIjANBgkqhkiG9w0'],
    [['recaptcha', 'siteKey'], '6LcyeXoUAAAAAFtdHDZfsxncFUkD9NqydqbIFcCK'],
    [['limits', 'setPasswordPerUserPerHour'], 10],
    [['limits', 'userRefreshTokenPerHourPerIp'], 50],
    [['jwt', 'tokenHead'], 'Bearer '],
  ])('shows %j = %j', (path, value) => {
    expect(classify(path, value, false)).toEqual({ sensitive: false });
  });
});

describe('snapshot/sensitive: an env var name decides, as in dotenv', () => {
  const envVar = (name: string) => [
    'Deployment/api',
    'spec',
    'template',
    'spec',
    'containers',
    'api',
    'env',
    name,
    'value',
  ];

  it('hides env.DB_PASSWORD.value and shows env.LOG_LEVEL.value', () => {
    expect(classify(envVar('DB_PASSWORD'), 's3cret-value', false)).toEqual({ sensitive: true, reason: 'key-name' });
    expect(classify(envVar('GITHUB_AUTH'), 's3cret-value', false)).toEqual({ sensitive: true, reason: 'key-name' });
    expect(classify(envVar('LOG_LEVEL'), 'debug', false)).toEqual({ sensitive: false });
  });

  it('judges short password names', () => {
    for (const name of ['SMTP_PW', 'DB_PASS', 'MYSQL_PWD', 'GPG_PASSPHRASE']) {
      expect(classify([name], 'x7Gq2p', false), name).toEqual({ sensitive: true, reason: 'key-name' });
      expect(classify(envVar(name), 'x7Gq2p', false), name).toEqual({ sensitive: true, reason: 'key-name' });
    }
  });
});

describe('snapshot/sensitive: token shapes under any name', () => {
  it.each([
    ['Bearer 8f14e45fceea167a5a36dedd4bea2543'],
    ['bearer eyJhbGciOiJIUzI1NiJ9'],
    [`Basic ${Buffer.from('deploy:hunter2').toString('base64')}`],
    ['DefaultEndpointsProtocol=https;AccountName=acme;AccountKey=Zm9vYmFyYmF6cXV4==;EndpointSuffix=core.windows.net'],
    ['Server=db;Database=app;User Id=sa;Password=Hunter2!;'],
    ['LS0tLS1CRUdJTiBSU0EgUFJJVkFURSBLRVktLS0tLQpNSUlFb3dJQkFBS0NBUUVB'],
  ])('hides %s', (value) => {
    expect(classify(['HEADER_VALUE'], value, false)).toEqual({ sensitive: true, reason: 'value-shape' });
  });

  it.each([
    'Basic authentication',
    'Bearer tokens are checked',
    `Basic ${Buffer.from('no colon here').toString('base64')}`,
  ])('shows the prose %s', (value) => expect(classify(['notes'], value, false)).toEqual({ sensitive: false }));

  it("masks a token used as a URL's user name, as a password is masked", () => {
    expect(
      classify(['SENTRY_URL'], 'https://0123456789abcdef0123456789abcdef@o123.ingest.sentry.io/42', false),
    ).toEqual({
      sensitive: true,
      reason: 'url-token',
      shown: 'https://****@o123.ingest.sentry.io/42',
    });
    // A user name that is a name is not a secret.
    expect(classify(['repo'], 'ssh://git@github.com/acme/app.git', false)).toEqual({ sensitive: false });
    expect(classify(['db_url'], 'postgres://app:${DB_PASSWORD}@db/app', false)).toEqual({ sensitive: false });
  });

  it('hides a URL whole when its query still carries a credential once its password is masked', () => {
    expect(classify(['x'], 'postgres://app:pw@db/app?password=abc123', false)).toEqual({
      sensitive: true,
      reason: 'value-shape',
    });
  });

  it('parses a JSON document inside a value and classifies its keys', () => {
    const spring = JSON.stringify({ spring: { datasource: { url: 'jdbc:postgresql://db/app', password: 'x7Gq2p' } } });
    expect(classify(['SPRING_APPLICATION_JSON'], spring, false).sensitive).toBe(true);
    const nested = JSON.stringify({ secrets: { stripe: 'x7Gq2p' } });
    expect(classify(['APP_CONFIG_JSON'], nested, false)).toEqual({ sensitive: true, reason: 'key-name' });
    const plain = JSON.stringify({ server: { port: 8080 }, features: { auth: true, token_ttl: '1h' } });
    expect(classify(['SPRING_APPLICATION_JSON'], plain, false)).toEqual({ sensitive: false });
  });
});

describe('snapshot/sensitive: false alarms (issue 9), with the names they were seen under', () => {
  it.each([
    [['FF_AUTH_V2'], 'true'],
    [['HMPPS_SQS_USE_WEB_TOKEN'], 'true'],
    [['PASSWORD_RESET_ENABLED'], 'off'],
    [['AUTH_REQUIRED'], 'Enabled'],
    [['API_BASE_URL_HMPPS_AUTH'], 'https://sign-in.hmpps.service.justice.gov.uk/auth'],
    [['OAUTH_TOKEN'], 'https://oauth.example.com/token?grant_type=client_credentials'],
    [['SESSION_SECRET_TTL'], '30s'],
    [['TOKEN_CACHE'], '512Mi'],
    [['AUTH_TOKEN_LIFETIME'], 'PT1H'],
    [['limits', 'changeEmailPerHour', 'confirmToken'], 15],
    [['API_KEY_RETRIES'], '3'],
    [['JWT_SECRET'], ''],
    [['DB_PASSWORD'], '${DB_PASSWORD}'],
    [['alipay', 'appPrivateKey'], 'your appPrivateKey'],
  ])('%j = %j is not a secret', (path, value) => {
    expect(classify(path, value, false)).toEqual({ sensitive: false });
  });

  it.each([
    [['API_TOKEN'], '9f8e7d6c5b4a39281706f5e4d3c2b1a0'],
    [['DB_PASSWORD'], '7391'],
    [['DB_PASSWORD'], 7391],
    [['spring', 'datasource', 'password'], 123456],
    [['SMTP_PASSWORD'], 'correct horse battery staple'],
    [['API_KEY'], '12345678901234567890'],
    [['WEBHOOK_SECRET'], 'https://discord.com/api/webhooks/1234/abcdEFGH1234ijklMNOP'],
  ])('%j = %j stays secret', (path, value) => {
    expect(classify(path, value, false)).toEqual({ sensitive: true, reason: 'key-name' });
  });
});

describe('snapshot/sensitive: encrypted values', () => {
  const vault = '$ANSIBLE_VAULT;1.1;AES256\n62313365396662343061393464336163\n6132\n';

  it('marks Ansible Vault and SOPS values encrypted, under any name', () => {
    expect(classify(['db_password'], vault, false)).toEqual({ sensitive: true, reason: 'encrypted' });
    expect(classify(['notes'], vault, false)).toEqual({ sensitive: true, reason: 'encrypted' });
    const sops = 'ENC[AES256_GCM,data:Tr7oQ1uV,iv:1ab=,tag:k9Q==,type:str]';
    expect(classify(['api_token'], sops, false)).toEqual({ sensitive: true, reason: 'encrypted' });
    expect(classify(['sops', 'age', 0, 'enc'], '-----BEGIN AGE ENCRYPTED FILE-----\nYWdl\n', false)).toEqual({
      sensitive: true,
      reason: 'encrypted',
    });
  });
});

describe('snapshot/sensitive: secrets declared in driftwatch.yaml', () => {
  const declared = declaredSecrets({ always: ['hero.signing_*', 'BUILD_SEED'], never: ['FEATURE_*'] });

  it('always: secret whatever the value looks like', () => {
    expect(classify(['hero', 'signing_salt'], 'plain', false, declared)).toEqual({
      sensitive: true,
      reason: 'declared',
    });
    expect(classify(['BUILD_SEED'], 'true', false, declared)).toEqual({ sensitive: true, reason: 'declared' });
  });

  it('never: the name no longer decides, but an unmistakable credential still does', () => {
    expect(classify(['FEATURE_TOKEN_AUTH'], 'x7Gq2p', false, declared)).toEqual({ sensitive: false });
    expect(classify(['FEATURE_TOKEN'], 'ghp_0123456789abcdefghijABCDEFGHIJ012345', false, declared)).toEqual({
      sensitive: true,
      reason: 'value-shape',
    });
    expect(classify(['FEATURE_DB'], 'postgres://u:pw@db/app', false, declared).reason).toBe('url-password');
  });
});
