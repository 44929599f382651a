import { createHmac, createSecretKey, type Hmac, type KeyObject, randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../errors.js';
import type { LeafValue, ValueType } from '../formats/format.js';
import { describeReadError } from '../sources/file-tree.js';
import { ensureStateDir, STATE_DIR } from '../state-dir.js';

export const FINGERPRINT_KEY_VARIABLE = 'DRIFTWATCH_FINGERPRINT_KEY';
const KEY_FILE = 'fingerprint.key';
/** 32 bytes: the HMAC-SHA256 key length; shorter keys make printed fingerprints easier to brute-force. */
const MIN_KEY_BYTES = 32;
const KEY_HINT = `${MIN_KEY_BYTES * 2} or more hexadecimal characters (${MIN_KEY_BYTES} bytes; e.g. openssl rand -hex ${MIN_KEY_BYTES})`;

/**
 * The HMAC key for fingerprints: `DRIFTWATCH_FINGERPRINT_KEY` when set (CI,
 * several machines that must agree), otherwise a random key generated once
 * into `.driftwatch/fingerprint.key` beside the config, readable by its owner
 * only. Fingerprints are comparable only under one key. Either must be 64 or
 * more hex characters: anything else is an error naming it, never a weaker key.
 */
export function loadFingerprintKey(configDir: string, env: Readonly<Record<string, string | undefined>>): Buffer {
  const fromEnv = env[FINGERPRINT_KEY_VARIABLE];
  if (fromEnv !== undefined && fromEnv !== '') return parseKey(fromEnv, { source: FINGERPRINT_KEY_VARIABLE });
  const file = path.join(configDir, STATE_DIR, KEY_FILE);
  const read = () => {
    try {
      return readFileSync(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw new ConfigError([{ file: file, message: `cannot read the fingerprint key: ${describeReadError(error)}` }]);
    }
  };
  const existing = read();
  if (existing !== undefined) return parseKey(existing, { file: file });
  ensureStateDir(configDir);
  try {
    // `wx`: if another process created it first, use theirs.
    writeFileSync(file, `${randomBytes(MIN_KEY_BYTES).toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  return parseKey(read() ?? '', { file: file });
}

/** What is wrong with a fingerprint key's text, in words that never quote it; undefined when it is a valid key. */
export function fingerprintKeyProblem(text: string): string | undefined {
  const hex = text.trim();
  if (!/^[0-9a-fA-F]*$/.test(hex) || hex.length % 2 !== 0)
    return `not a hexadecimal fingerprint key; it must be ${KEY_HINT}`;
  if (hex.length < MIN_KEY_BYTES * 2) {
    return `the fingerprint key is too short (${hex.length / 2} bytes); it must be ${KEY_HINT}`;
  }
  return undefined;
}

/** The key's bytes from its hex text; the text itself is never quoted, it is the secret. */
function parseKey(text: string, where: { readonly file?: string; readonly source?: string }): Buffer {
  const problem = fingerprintKeyProblem(text);
  if (problem !== undefined) throw new ConfigError([{ ...where, message: problem }]);
  return Buffer.from(text.trim(), 'hex');
}

/**
 * Each key's bytes as a key object, made once. An HMAC keyed with bytes makes
 * a key object of its own on every call: on Node 24 that was five times the
 * cost of the HMAC itself, and a snapshot takes one per secret.
 */
const keyObjects = new WeakMap<Buffer, KeyObject>();

function keyObjectOf(key: Buffer): KeyObject {
  let keyObject = keyObjects.get(key);
  if (keyObject === undefined) {
    keyObject = createSecretKey(key);
    keyObjects.set(key, keyObject);
  }
  return keyObject;
}

/** HMAC-SHA256 under the fingerprint key, made once per key (see keyObjectOf). */
export function keyedHash(key: Buffer): Hmac {
  return createHmac('sha256', keyObjectOf(key));
}

/** HMAC-SHA256 over the type, tag and value, hex. `1` the number and `"1"` the string differ. */
export function fingerprintValue(key: Buffer, type: ValueType, value: LeafValue, tag = ''): string {
  return keyedHash(key).update(`${type}\0${tag}\0`).update(JSON.stringify(value)).digest('hex');
}

/** How a fingerprint is shown to people: short, prefixed so it is never mistaken for the value. */
export function shortFingerprint(fingerprint: string): string {
  return `fp:${fingerprint.slice(0, 8)}`;
}
