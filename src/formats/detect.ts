import path from 'node:path';
import type { FormatId } from './format.js';
import { formats } from './index.js';
import { holdsKubernetesSecret, looksLikeKubernetes, looksLikeKubernetesJson } from './kubernetes.js';

const DOTENV_LINE = /^\s*(?:export\s+)?[A-Za-z_][A-Za-z0-9_.-]*\s*=/;
const COMMENT_OR_BLANK = /^\s*(?:#.*)?$/;

/** The last path segment of a file path or URL, without query or fragment. */
function baseName(origin: string): string {
  const withoutQuery = origin.replace(/[?#].*$/, '');
  return path.posix.basename(withoutQuery.replace(/^[a-z]+:\/\/[^/]*/i, '')).toLowerCase();
}

/**
 * Chooses a format for a document: the name first (`.env.production` and
 * `production.env` are dotenv; `.yaml` that holds Kubernetes resources is k8s),
 * then the hint a source gave (an HTTP Content-Type), then the text itself.
 * Undefined when nothing is conclusive: the user then sets `format:`.
 *
 * YAML or JSON that holds a Kubernetes Secret is k8s whatever else it holds,
 * even when the source says `format: yaml` or `json` (`explicit`): a Secret's
 * data read as plain values would be printed, and its base64 decoded by anyone.
 */
export function detectFormat(origin: string, text: string, hint?: FormatId, explicit?: FormatId): FormatId | undefined {
  if (explicit !== undefined) {
    return (explicit === 'yaml' || explicit === 'json') && holdsKubernetesSecret(text) ? 'k8s' : explicit;
  }
  const name = baseName(origin);
  if (name === '.env' || name.startsWith('.env.') || name.endsWith('.env')) return 'dotenv';
  const extension = path.posix.extname(name);
  for (const format of Object.values(formats)) {
    if (format.extensions.includes(extension)) return refine(format.id, text);
  }
  if (hint) return refine(hint, text);
  return sniffFormat(text);
}

/** YAML or JSON that is Kubernetes manifests, or holds a Secret, is k8s. */
function refine(format: FormatId, text: string): FormatId {
  if (format === 'yaml') return looksLikeKubernetes(text) || holdsKubernetesSecret(text) ? 'k8s' : 'yaml';
  if (format === 'json') return looksLikeKubernetesJson(text) ? 'k8s' : 'json';
  return format;
}

function sniffFormat(text: string): FormatId | undefined {
  const start = text.trimStart();
  if (start.startsWith('{') || start.startsWith('[')) return refine('json', text);
  if (start === '') return undefined;
  const lines = text.split(/\r?\n/).filter((line) => !COMMENT_OR_BLANK.test(line));
  if (lines.length > 0 && lines.every((line) => DOTENV_LINE.test(line))) return 'dotenv';
  if (looksLikeKubernetes(text) || holdsKubernetesSecret(text)) return 'k8s';
  if (/^[A-Za-z0-9_"'-][^\n]*:(?:\s|$)/m.test(start)) return 'yaml';
  return undefined;
}
