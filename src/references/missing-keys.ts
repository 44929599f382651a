import { compareCodeUnits } from '../compare-code-units.js';
import type { MatchMode } from './config.js';
import { KubernetesKeys } from './kubernetes-keys.js';
import { configuredKeyForms, nameForms } from './match.js';
import type { ReferenceIndex, ReferenceSite } from './scan.js';

/** A name code reads that one environment does not configure. */
export interface MissingKey {
  readonly env: string;
  /** The name as the code reads it: `DB_URL`, `db.url`. */
  readonly key: string;
  /** The reads that find nothing in this environment, sorted. */
  readonly sites: ReferenceSite[];
  /** Every one of those reads gives a default or only tests for presence. */
  readonly optional: boolean;
}

/** Keys per environment: a map or a record from environment name to its configured keys. */
export type EnvironmentKeys = ReadonlyMap<string, Iterable<string>> | Readonly<Record<string, Iterable<string>>>;

/**
 * For each environment (sorted), the names the code reads (sorted) that it
 * does not configure, under the same matching as `staleKeys`: an env-style
 * read needs the key itself, a dotted read is satisfied by the key or any key
 * under it, and a Kubernetes ConfigMap, Secret or container env entry
 * configures the variable it sets. Prefix bindings
 * (`@ConfigurationProperties`) are never missing: they bind whatever is there.
 */
export function missingKeys(
  envKeySets: EnvironmentKeys,
  index: Pick<ReferenceIndex, 'references'>,
  mode: MatchMode = 'exact',
): MissingKey[] {
  const environments = envKeySets instanceof Map ? [...envKeySets] : Object.entries(envKeySets);
  environments.sort(([a], [b]) => compareCodeUnits(a, b));
  const missing: MissingKey[] = [];
  for (const [env, keys] of environments) {
    const whole = new Set<string>();
    const prefixes = new Set<string>();
    const envKeys = [...keys];
    const kubernetes = KubernetesKeys.of(envKeys);
    for (const key of envKeys) {
      const forms = configuredKeyForms(key, mode, kubernetes);
      for (const form of forms.whole) whole.add(form);
      for (const form of forms.prefixes) prefixes.add(form);
    }
    for (const [name, sites] of index.references) {
      const forms = nameForms(name, mode);
      const configured = forms.some((form) => whole.has(form));
      const configuredUnder = configured || forms.some((form) => prefixes.has(form));
      const unmet = sites.filter((site) => !site.prefix && !(site.style === 'dotted' ? configuredUnder : configured));
      if (unmet.length === 0) continue;
      missing.push({ env, key: name, sites: unmet, optional: unmet.every((site) => site.optional === true) });
    }
  }
  return missing;
}
