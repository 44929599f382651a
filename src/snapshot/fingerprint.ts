import { createHmac, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { LeafValue, ValueType } from '../formats/format.js';

export const FINGERPRINT_KEY_VARIABLE = 'DRIFTWATCH_FINGERPRINT_KEY';
export const STATE_DIR = '.driftwatch';
const KEY_FILE = 'fingerprint.key';

/**
 * The HMAC key for fingerprints: `DRIFTWATCH_FINGERPRINT_KEY` when set (CI,
 * several machines that must agree), otherwise a random key generated once
 * into `.driftwatch/fingerprint.key` beside the config, readable by its owner
 * only. Fingerprints are comparable only under one key.
 */
export function loadFingerprintKey(configDir: string, env: Readonly<Record<string, string | undefined>>): Buffer {
  const fromEnv = env[FINGERPRINT_KEY_VARIABLE];
  if (fromEnv !== undefined && fromEnv !== '') return Buffer.from(fromEnv, 'utf8');
  const dir = path.join(configDir, STATE_DIR);
  const file = path.join(dir, KEY_FILE);
  try {
    return Buffer.from(readFileSync(file, 'utf8').trim(), 'hex');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const key = randomBytes(32).toString('hex');
  try {
    // `wx`: if another process created it first, use theirs.
    writeFileSync(file, `${key}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  return Buffer.from(readFileSync(file, 'utf8').trim(), 'hex');
}

/** HMAC-SHA256 over the type, tag and value, hex. `1` the number and `"1"` the string differ. */
export function fingerprintValue(key: Buffer, type: ValueType, value: LeafValue, tag = ''): string {
  return createHmac('sha256', key).update(`${type}\0${tag}\0`).update(JSON.stringify(value)).digest('hex');
}

/** How a fingerprint is shown to people: short, prefixed so it is never mistaken for the value. */
export function shortFingerprint(fingerprint: string): string {
  return `fp:${fingerprint.slice(0, 8)}`;
}
