import { execFileSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors.js';
import { fingerprintValue, keyedHash, loadFingerprintKey } from '../../src/snapshot/fingerprint.js';
import { run } from '../cli/io.js';
import { TEST_FINGERPRINT_KEY } from '../helpers/fingerprint-key.js';

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'driftwatch-key-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function configError(load: () => unknown): ConfigError {
  try {
    load();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('snapshot/fingerprint key', () => {
  it('takes DRIFTWATCH_FINGERPRINT_KEY as 32 or more bytes of hex', () => {
    expect(loadFingerprintKey(tempDir(), { DRIFTWATCH_FINGERPRINT_KEY: TEST_FINGERPRINT_KEY })).toEqual(
      Buffer.from(TEST_FINGERPRINT_KEY, 'hex'),
    );
  });

  it('refuses a DRIFTWATCH_FINGERPRINT_KEY that is not hex, or shorter than 32 bytes, naming it and not its value', () => {
    for (const [value, reason] of [
      ['test-key', 'not a hexadecimal fingerprint key'],
      ['canary-not-hex-'.repeat(8), 'not a hexadecimal fingerprint key'],
      ['abc', 'not a hexadecimal fingerprint key'],
      ['ab'.repeat(31), 'the fingerprint key is too short (31 bytes)'],
    ] as const) {
      const error = configError(() => loadFingerprintKey(tempDir(), { DRIFTWATCH_FINGERPRINT_KEY: value }));
      expect(error.problems).toEqual([
        {
          source: 'DRIFTWATCH_FINGERPRINT_KEY',
          message: `${reason}; it must be 64 or more hexadecimal characters (32 bytes; e.g. openssl rand -hex 32)`,
        },
      ]);
      expect(error.message).not.toContain(value);
    }
  });

  it('refuses a key file that is not valid hex or too short, rather than use an empty or weak key', () => {
    for (const content of ['not hex at all\n', `${'a'.repeat(40)}\n`, 'abc\n', '\n']) {
      const dir = tempDir();
      mkdirSync(path.join(dir, '.driftwatch'));
      writeFileSync(path.join(dir, '.driftwatch', 'fingerprint.key'), content);
      const error = configError(() => loadFingerprintKey(dir, {}));
      expect(error.problems[0]?.file).toBe(path.join(dir, '.driftwatch', 'fingerprint.key'));
    }
  });

  it('generates a key once into .driftwatch/, which holds a .gitignore so that git never takes the key', () => {
    const dir = tempDir();
    execFileSync('git', ['init', '-q', dir]);
    const key = loadFingerprintKey(dir, {});
    expect(key).toHaveLength(32);
    expect(loadFingerprintKey(dir, {})).toEqual(key);
    expect(readFileSync(path.join(dir, '.driftwatch', '.gitignore'), 'utf8')).toMatch(/^\*$/m);
    const untracked = execFileSync('git', ['-C', dir, 'status', '--porcelain', '--untracked-files=all'], {
      encoding: 'utf8',
    });
    expect(untracked).toBe('');
  });

  it('makes the CLI exit 2 with the variable named, no stack trace', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'driftwatch.yaml'), 'version: 1\nenvironments:\n  a: {sources: [{path: a.env}]}\n');
    writeFileSync(path.join(dir, 'a.env'), 'A=1\n');
    const result = await run(dir, ['check'], { DRIFTWATCH_FINGERPRINT_KEY: 'short-secret-canary' });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      'error: DRIFTWATCH_FINGERPRINT_KEY: not a hexadecimal fingerprint key; it must be 64 or more hexadecimal characters (32 bytes; e.g. openssl rand -hex 32)\n',
    );
  });

  it('gives .driftwatch/ its .gitignore when the history store creates it too', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'driftwatch.yaml'), 'version: 1\nenvironments:\n  a: {sources: [{path: a.env}]}\n');
    writeFileSync(path.join(dir, 'a.env'), 'A=1\n');
    const stored = await run(dir, ['snapshot', '--all', '--store']);
    expect(stored.code).toBe(0);
    expect(readFileSync(path.join(dir, '.driftwatch', '.gitignore'), 'utf8')).toMatch(/^\*$/m);
  });

  it('fingerprints with HMAC-SHA256 under the key, the key object made once giving the same digests as the key bytes', () => {
    const key = Buffer.from(TEST_FINGERPRINT_KEY, 'hex');
    const other = Buffer.from('ab'.repeat(32), 'hex');
    const byBytes = (bytes: Buffer, text: string) => createHmac('sha256', bytes).update(text).digest('hex');
    for (const [type, value, tag] of [
      ['string', 's3cr3t-7391', ''],
      ['number', 7391, ''],
      ['string', 'ENC[AES256_GCM,data:x]', '!vault'],
    ] as const) {
      expect(fingerprintValue(key, type, value, tag)).toBe(byBytes(key, `${type}\0${tag}\0${JSON.stringify(value)}`));
      // Twice under one key, then under another: each key keeps its own key object.
      expect(fingerprintValue(key, type, value, tag)).toBe(byBytes(key, `${type}\0${tag}\0${JSON.stringify(value)}`));
      expect(fingerprintValue(other, type, value, tag)).toBe(
        byBytes(other, `${type}\0${tag}\0${JSON.stringify(value)}`),
      );
    }
    expect(keyedHash(key).update('text').digest('hex')).toBe(byBytes(key, 'text'));
  });
});
