import { compareCodeUnits } from '../compare-code-units.js';
import type { PathSegment } from '../formats/format.js';
import { formatKeyPath, segmentsOrWhole } from '../snapshot/key-path.js';
import type { MatchMode } from './config.js';
import type { ReferenceStyle } from './extractor.js';
import { KubernetesKeys } from './kubernetes-keys.js';
import type { ReferenceSite } from './scan.js';

/**
 * How a configured key (a canonical key path such as `payments.api-key` or
 * `logging.level."com.macro.mall"`, or a flat env name such as
 * `GLOBAL_OAUTH_CLIENT_ID`) is matched against a name read by code.
 *
 * Both modes compare the key's *read form*: its segments joined by `.`, list
 * indices as `[0]`, quotes dropped (`logging.level.com.macro.mall`), because
 * code writes reads that way.
 *
 * - `exact`: the name equals the read form; or the read is dotted and names a
 *   whole segment prefix of the key (`config.get('db')` reads `db.host` and
 *   `db.port`, not `dbx.host`; `logging.level` reads `logging.level."com.macro.mall"`).
 * - `relaxed` (Spring Boot's binding of environment variables): both sides
 *   are upper-cased, list indices become segments (`a[0].b` → `A_0_B`), and
 *   a key has two forms: Spring's, where `.` becomes `_` and `-` is removed
 *   (`payments.api-key` → `PAYMENTS_APIKEY`), and the legacy one, where `-`
 *   becomes `_` too (`PAYMENTS_API_KEY`). A read matches when any of its
 *   forms equals any of the key's; camelCase reads (`payments.apiKey`) match
 *   through the upper-casing. A dotted read also matches keys under it; for
 *   a flat key (one segment, an env name) every `_` counts as a segment
 *   boundary, so `@ConfigurationProperties(prefix = "payments")` reads
 *   `PAYMENTS_APIKEY`. Mixed forms (`MYAPP_API_KEY` for `my-app.api-key`)
 *   are not accepted, as Spring does not accept them either.
 */

export interface ReadName {
  readonly name: string;
  readonly style: ReferenceStyle;
}

/** The forms under which a configured key can be read, in one mode. */
export interface KeyForms {
  /** Forms of the whole key. */
  readonly whole: readonly string[];
  /** Forms of every proper prefix ending at a segment boundary: what a dotted prefix read matches. */
  readonly prefixes: readonly string[];
}

export function keyForms(configKey: string, mode: MatchMode): KeyForms {
  const segments = segmentsOrWhole(configKey);
  const prefixLengths = Array.from({ length: segments.length - 1 }, (_, index) => index + 1);
  if (mode === 'exact') {
    return {
      whole: [readForm(segments)],
      prefixes: prefixLengths.map((length) => readForm(segments.slice(0, length))),
    };
  }
  const [only] = segments;
  if (segments.length === 1 && typeof only === 'string') {
    const whole = relaxedForms(only);
    const prefixes = new Set<string>();
    for (const form of whole) {
      for (let at = form.indexOf('_'); at > 0; at = form.indexOf('_', at + 1)) prefixes.add(form.slice(0, at));
    }
    return { whole, prefixes: [...prefixes] };
  }
  return {
    whole: relaxedSegmentForms(segments),
    prefixes: unique(prefixLengths.flatMap((length) => relaxedSegmentForms(segments.slice(0, length)))),
  };
}

/** The forms under which a read name is looked up, in one mode. */
export function nameForms(name: string, mode: MatchMode): readonly string[] {
  return mode === 'exact' ? [name] : relaxedForms(name);
}

export function referenceMatchesKey(configKey: string, site: ReadName, mode: MatchMode): boolean {
  const forms = keyForms(configKey, mode);
  const names = nameForms(site.name, mode);
  if (names.some((name) => forms.whole.includes(name))) return true;
  return site.style === 'dotted' && names.some((name) => forms.prefixes.includes(name));
}

/**
 * The forms of a configured key, with those of the environment variable it
 * sets when it belongs to a Kubernetes resource (`ConfigMap/app.data.X` is
 * read as `X`; see kubernetes-keys.ts).
 */
export function configuredKeyForms(configKey: string, mode: MatchMode, kubernetes?: KubernetesKeys): KeyForms {
  const forms = keyForms(configKey, mode);
  const envName = kubernetes?.envName(configKey);
  if (envName === undefined) return forms;
  const variable = keyForms(formatKeyPath([envName]), mode);
  return {
    whole: unique([...forms.whole, ...variable.whole]),
    prefixes: unique([...forms.prefixes, ...variable.prefixes]),
  };
}

/**
 * Every configured key with the sites that read it (an empty list when none
 * does), keys in sorted order. Linear in keys plus names: reads are indexed by
 * their forms, and each key looks up its own few forms. Kubernetes resources
 * are recognised among `configuredKeys` unless the caller, who may hold more
 * keys than it asks about, passes them.
 */
export function referencesByKey(
  configuredKeys: Iterable<string>,
  references: ReadonlyMap<string, readonly ReferenceSite[]>,
  mode: MatchMode,
  kubernetes?: KubernetesKeys,
): Map<string, ReferenceSite[]> {
  const anyStyle = new Map<string, ReferenceSite[]>();
  const dotted = new Map<string, ReferenceSite[]>();
  for (const [name, sites] of references) {
    const dottedSites = sites.filter((site) => site.style === 'dotted');
    for (const form of nameForms(name, mode)) {
      append(anyStyle, form, sites);
      if (dottedSites.length > 0) append(dotted, form, dottedSites);
    }
  }
  const result = new Map<string, ReferenceSite[]>();
  const keys = [...new Set(configuredKeys)].sort(compareCodeUnits);
  const resources = kubernetes ?? KubernetesKeys.of(keys);
  for (const key of keys) {
    const forms = configuredKeyForms(key, mode, resources);
    const found = new Set<ReferenceSite>();
    for (const form of forms.whole) for (const site of anyStyle.get(form) ?? []) found.add(site);
    for (const form of forms.prefixes) for (const site of dotted.get(form) ?? []) found.add(site);
    result.set(key, [...found].sort(bySite));
  }
  return result;
}

export function bySite(a: ReferenceSite, b: ReferenceSite): number {
  return compareCodeUnits(a.file, b.file) || a.line - b.line || a.column - b.column;
}

function append(map: Map<string, ReferenceSite[]>, form: string, sites: readonly ReferenceSite[]): void {
  const existing = map.get(form);
  if (existing) existing.push(...sites);
  else map.set(form, [...sites]);
}

function readForm(segments: readonly PathSegment[]): string {
  let out = '';
  for (const segment of segments) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out === '' ? segment : `.${segment}`;
  }
  return out;
}

function relaxedSegmentForms(segments: readonly PathSegment[]): string[] {
  const spring = segments.map((segment) => (typeof segment === 'number' ? String(segment) : springForm(segment)));
  const legacy = segments.map((segment) => (typeof segment === 'number' ? String(segment) : legacyForm(segment)));
  return unique([spring.join('_'), legacy.join('_')]);
}

/** A read name's relaxed forms: `payments.api-key` → `PAYMENTS_APIKEY`, `PAYMENTS_API_KEY`; `a[0].b` → `A_0_B`. */
export function relaxedForms(name: string): string[] {
  const withIndices = name.replace(/\[(\d+)\]/g, '.$1');
  return unique([springForm(withIndices), legacyForm(withIndices)]);
}

function springForm(text: string): string {
  return text.replaceAll('-', '').replaceAll('.', '_').toUpperCase();
}

function legacyForm(text: string): string {
  return text.replace(/[.-]/g, '_').toUpperCase();
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}
