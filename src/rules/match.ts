import * as z from 'zod';
import type { LeafValue } from '../formats/format.js';
import { displayValue } from '../snapshot/display.js';
import type { Entry } from '../snapshot/snapshot.js';
import { cellsOf, commonRuleFields, present, type RuleBase, type RuleKindModule } from './rule.js';

const VALUE_TYPES = ['string', 'number', 'boolean', 'url', 'duration', 'port'] as const;
type ExpectedType = (typeof VALUE_TYPES)[number];

const Scalar = z.union([z.string(), z.number(), z.boolean()]);

export const MatchRule = z
  .strictObject({
    ...commonRuleFields,
    kind: z.literal('match'),
    equals: Scalar.optional(),
    pattern: z
      .string()
      .refine((source) => {
        try {
          new RegExp(source, 'u');
          return true;
        } catch {
          return false;
        }
      }, 'pattern is not a valid regular expression')
      .optional(),
    oneOf: z.array(Scalar).min(1).optional(),
    type: z.enum(VALUE_TYPES).optional(),
  })
  .refine(
    (rule) => [rule.equals, rule.pattern, rule.oneOf, rule.type].some((test) => test !== undefined),
    'a match rule needs one of equals, pattern, oneOf or type',
  );
export type MatchRule = z.infer<typeof MatchRule> & RuleBase;

const DURATION = /^(?:\d+(?:\.\d+)?(?:ns|us|µs|ms|s|m|h|d|w))+$|^P(?:\d+[YMWD])*(?:T(?:\d+(?:\.\d+)?[HMS])+)?$/;

function hasType(value: LeafValue, entry: Entry, type: ExpectedType): boolean {
  switch (type) {
    case 'string':
      return entry.type === 'string';
    case 'number':
      return entry.type === 'number';
    case 'boolean':
      return entry.type === 'boolean';
    case 'url':
      return typeof value === 'string' && URL.canParse(value) && /^[a-z][a-z0-9+.-]*:\/\//i.test(value);
    case 'duration':
      return typeof value === 'string' && value !== 'P' && DURATION.test(value);
    case 'port': {
      const port = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : Number.NaN;
      return Number.isInteger(port) && port >= 1 && port <= 65535 && String(port) === String(value).trim();
    }
  }
}

/** Why the value fails the rule, or undefined when it passes. */
function failure(rule: MatchRule, entry: Entry): string | undefined {
  if (entry.sensitive) {
    // Secrets are kept only as fingerprints, so only their type can be checked.
    if (rule.type === 'string' || rule.type === 'number' || rule.type === 'boolean') {
      return hasType(null, entry, rule.type) ? undefined : `is a ${entry.type}, expected a ${rule.type}`;
    }
    return 'is a secret: driftwatch keeps only its fingerprint and cannot check its value';
  }
  const value = entry.value ?? null;
  const shown = displayValue(entry);
  // Compared as text: a dotenv `PORT=8080` and a rule's `equals: 8080` agree.
  if (rule.equals !== undefined && String(value) !== String(rule.equals)) {
    return `is ${shown}, expected ${String(rule.equals)}`;
  }
  if (rule.oneOf !== undefined && !rule.oneOf.some((allowed) => String(allowed) === String(value))) {
    return `is ${shown}, expected one of ${rule.oneOf.map(String).join(', ')}`;
  }
  const text = typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
  if (rule.pattern !== undefined && !(text !== undefined && new RegExp(rule.pattern, 'u').test(text))) {
    return `is ${shown}, which does not match /${rule.pattern}/`;
  }
  if (rule.type !== undefined && !hasType(value, entry, rule.type)) return `is ${shown}, which is not a ${rule.type}`;
  return undefined;
}

/** Each value satisfies a test: `equals`, `oneOf`, `pattern` (a regular expression) or `type`. */
export const match: RuleKindModule<MatchRule> = {
  kind: 'match',
  defaultSeverity: 'error',
  schema: MatchRule,
  describe: (rule) => {
    const tests = [
      rule.equals !== undefined ? `equal ${String(rule.equals)}` : '',
      rule.oneOf ? `be one of ${rule.oneOf.map(String).join(', ')}` : '',
      rule.pattern ? `match /${rule.pattern}/` : '',
      rule.type ? `be a ${rule.type}` : '',
    ].filter((test) => test !== '');
    return `Values of ${rule.keys.join(', ')} ${tests.join(' and ')}.`;
  },
  check(rule, context) {
    const verdicts = [];
    for (const row of context.rows) {
      for (const cell of present(cellsOf(row, context))) {
        const why = failure(rule, cell.entry);
        if (why === undefined) continue;
        verdicts.push({
          key: row.key,
          envs: [cell.env],
          message: rule.message ? `${rule.message} (${row.key} ${why})` : `${row.key} in ${cell.env} ${why}`,
          entries: [cell],
        });
      }
    }
    return verdicts;
  },
};
