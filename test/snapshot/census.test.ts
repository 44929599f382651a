import { describe, expect, it } from 'vitest';
import { type SecretCensus, secretCensus } from './secret-census.js';

/**
 * The secret census of the corpus (see secret-census.ts). Before the path,
 * value and reference rules, 938 of 9,029 keys were marked secret, 873 of
 * them the names of Kubernetes Secret keys (`valueFrom.secretKeyRef.key`).
 */
describe('snapshot/census: what the corpus marks secret, and why', () => {
  let census: SecretCensus;
  const marked = (repo: string, key: string) =>
    census.secrets.find((secret) => secret.repo === repo && secret.key === key)?.reason;

  it('reads every file and marks 53 of 9,029 keys secret: 50 by name, 3 by shape', async () => {
    census = await secretCensus();
    expect(census.failures).toEqual([]);
    expect([census.files, census.keys]).toEqual([86, 9029]);
    expect(Object.fromEntries(census.byReason)).toEqual({ 'key-name': 50, 'value-shape': 3 });
  });

  it('keeps the real secrets', () => {
    const opencollective = 'opencollective__opencollective-api';
    expect(marked(opencollective, 'keys.opencollective.sessionSecret')).toBe('key-name');
    expect(marked(opencollective, 'stripe.secret')).toBe('value-shape');
    // A base64 PEM private key, whatever the key is called.
    expect(marked(opencollective, 'transferwise.privateKey')).toBe('value-shape');
    expect(marked('macrozheng__mall', 'spring.datasource.password')).toBe('key-name');
    expect(marked('macrozheng__mall', 'minio.secretKey')).toBe('key-name');
  });

  it('drops the false alarms: references, annotations, limits, public keys, placeholders', () => {
    const keys = census.secrets.map((secret) => secret.key);
    expect(keys.filter((key) => key.includes('secretKeyRef'))).toEqual([]);
    expect(keys.filter((key) => key.includes('cert-manager.io'))).toEqual([]);
    expect(keys.filter((key) => key.startsWith('limits.'))).toEqual([]);
    for (const key of ['jwt.tokenHead', 'alipay.alipayPublicKey', 'alipay.appPrivateKey', 'recaptcha.siteKey']) {
      expect(keys, key).not.toContain(key);
    }
  });
});
