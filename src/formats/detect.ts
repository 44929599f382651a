import path from 'node:path';
import type { FormatId } from './format.js';
import { formats } from './index.js';
import { looksLikeKubernetes } from './kubernetes.js';

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
 */
export function detectFormat(origin: string, text: string, hint?: FormatId): FormatId | undefined {
  const name = baseName(origin);
  if (name === '.env' || name.startsWith('.env.') || name.endsWith('.env')) return 'dotenv';
  const extension = path.posix.extname(name);
  for (const format of Object.values(formats)) {
    if (!format.extensions.includes(extension)) continue;
    if (format.id === 'yaml' && looksLikeKubernetes(text)) return 'k8s';
    return format.id;
  }
  if (hint) return hint === 'yaml' && looksLikeKubernetes(text) ? 'k8s' : hint;
  return sniffFormat(text);
}

function sniffFormat(text: string): FormatId | undefined {
  const start = text.trimStart();
  if (start.startsWith('{') || start.startsWith('[')) return 'json';
  if (start === '') return undefined;
  const lines = text.split(/\r?\n/).filter((line) => !COMMENT_OR_BLANK.test(line));
  if (lines.length > 0 && lines.every((line) => DOTENV_LINE.test(line))) return 'dotenv';
  if (looksLikeKubernetes(text)) return 'k8s';
  if (/^[A-Za-z0-9_"'-][^\n]*:(?:\s|$)/m.test(start)) return 'yaml';
  return undefined;
}
