import type { Problem } from '../errors.js';
import { CREDENTIAL_DETECTORS, ENCRYPTED_DETECTORS, maskShapes } from './secret-detectors.js';

const DETECTORS = [...ENCRYPTED_DETECTORS, ...CREDENTIAL_DETECTORS];

/**
 * An error text fit to print, log or store: every credential the value
 * detectors know (token shapes, `Bearer …`, URL passwords and token user
 * names, `password=…` and `DB_PASSWORD: …` assignments, PEM blocks, vault
 * ciphertext) masked as `****`; the rest of the message unchanged.
 */
export function scrubSecrets(text: string): string {
  return maskShapes(text, DETECTORS);
}

/**
 * The problem with its message, source and file scrubbed: a command's label
 * carries its arguments (`curl -H 'Authorization: Bearer …'`), a message may
 * quote outside text. Applied where problems leave for a report, a terminal,
 * a log or a row.
 */
export function scrubProblem<P extends Problem>(problem: P): P {
  return {
    ...problem,
    message: scrubSecrets(problem.message),
    ...(problem.source === undefined ? {} : { source: scrubSecrets(problem.source) }),
    ...(problem.file === undefined ? {} : { file: scrubSecrets(problem.file) }),
  };
}
