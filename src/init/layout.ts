import type { FormatId } from '../formats/format.js';

/** One source of the config init writes: a file (or files, or a glob) relative to the repository root. */
export interface PlannedSource {
  readonly path: string | readonly string[];
  readonly format?: FormatId;
  readonly prefix?: string;
}

/**
 * What a layout found for one environment in one place (a chart, a module, a
 * config folder): its sources in merge order, base files first, and why.
 */
export interface LayoutMatch {
  readonly env: string;
  /** The place, e.g. `charts/app-config` or `mall-admin`; several places of one layout are mounted under their own prefix. */
  readonly group: string;
  /** The key path the group is mounted under when the layout found more than one group. */
  readonly groupPrefix: string;
  readonly sources: readonly PlannedSource[];
  /** Why, for people: `values-staging.yaml over values.yaml`. */
  readonly evidence: string;
  /** Every file these sources read, so that they are not reported as unplaced. */
  readonly files: readonly string[];
}

/** A file that looked like configuration, or a reference to one, that init could not put into an environment. */
export interface Unplaced {
  readonly path: string;
  readonly reason: string;
  /**
   * `content`: something written inside this file (an inline patch, a reference
   * to a file that is not there) could not be placed, though the file itself
   * may be. Otherwise it is the file, and placing it elsewhere settles it.
   */
  readonly about?: 'content';
}

export interface LayoutResult {
  readonly matches: readonly LayoutMatch[];
  readonly unplaced: readonly Unplaced[];
  /** Files that hold secrets (a Kubernetes secretGenerator's): no environment reads them, whichever layout finds them. */
  readonly secretFiles?: readonly string[];
}

/** The repository as layouts see it: its files, `/`-separated and relative to the root, and their text. */
export interface RepositoryFiles {
  readonly files: readonly string[];
  has(file: string): boolean;
  isDirectory(dir: string): boolean;
  /** The file's text; throws with a readable message when it cannot be read. */
  read(file: string): string;
}

/** A common way of laying out per-environment configuration. One module per layout, registered in layouts/index.ts. */
export interface Layout {
  readonly id: string;
  /** How people call it: `Helm values`. */
  readonly title: string;
  detect(repository: RepositoryFiles): LayoutResult;
}
