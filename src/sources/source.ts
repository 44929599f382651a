import * as z from 'zod';
import type { FormatId, Leaf } from '../formats/format.js';
import type { FileTree } from './file-tree.js';

export const FORMAT_IDS = [
  'yaml',
  'json',
  'dotenv',
  'toml',
  'properties',
  'k8s',
] as const satisfies readonly FormatId[];

/** How a source's bytes become text: strict UTF-8, or Latin-1 read on purpose. */
export const TEXT_ENCODINGS = ['utf-8', 'latin1'] as const;
export type TextEncoding = (typeof TEXT_ENCODINGS)[number];

/** Fields every source accepts, whatever its kind (`env` takes only `prefix` and `allowEmpty`: it has no text). */
export const commonSourceFields = {
  /** Overrides format detection: a file named `.env` that holds YAML exists in the wild. */
  format: z.enum(FORMAT_IDS).optional(),
  /** Mounts the source under a key path: `prefix: services.api`. */
  prefix: z.string().min(1).optional(),
  /**
   * A source with no keys is an error (a file emptied by accident looks just
   * like one that was never filled in); `allowEmpty: true` says this one may be.
   */
  allowEmpty: z.boolean().optional(),
  /** Text that is not valid UTF-8 is an error; `latin1` reads a Latin-1 file on purpose. */
  encoding: z.enum(TEXT_ENCODINGS, { error: `expected one of ${TEXT_ENCODINGS.join(', ')}` }).optional(),
};

/** What the snapshot reads of every source spec, whatever its kind. */
export interface CommonSourceSpec {
  readonly format?: FormatId;
  readonly prefix?: string;
  readonly allowEmpty?: boolean;
  readonly encoding?: TextEncoding;
}

/**
 * What a source hands to the snapshot: raw bytes for a format to parse, or
 * leaves it built itself. Sources never decode: the snapshot does, in one
 * place (`decodeText`), so every source kind refuses invalid UTF-8 alike.
 */
export type SourceDocument =
  | {
      /** Names the text in findings and errors: a path relative to the config file, `ref:path`, a URL. */
      readonly origin: string;
      readonly bytes: Uint8Array;
      /** A format the source knows better than the name does (an HTTP Content-Type, say). */
      readonly formatHint?: FormatId;
      /** The text is a file under version control (see `FileTree.isTracked`). */
      readonly tracked?: boolean;
    }
  | { readonly origin: string; readonly leaves: readonly Leaf[] };

export interface SourceContext {
  /** Directory of driftwatch.yaml; relative paths in sources resolve against it. */
  readonly configDir: string;
  /** Where `path` sources read their files: the work tree, or a commit's files. */
  readonly files: FileTree;
  /** The environment variables sources may read (`${VAR}` interpolation, the `env` source). */
  readonly env: Readonly<Record<string, string | undefined>>;
}

export type SourceKind = 'path' | 'git' | 'url' | 'command' | 'env';

export interface Source<Spec extends CommonSourceSpec> {
  /** The key that marks this kind in driftwatch.yaml (`- path: ...`, `- command: [...]`). */
  readonly kind: SourceKind;
  /** Validates one source entry of driftwatch.yaml; strict, so typos are caught. */
  readonly schema: z.ZodType<Spec, unknown>;
  /** A short human label for reports: `config/*.yaml`, `git:origin/main:app.yaml`. */
  describe(spec: Spec): string;
  /**
   * Reads every document the source stands for, in a stable order.
   * Throws `SourceError` when anything cannot be read: never returns an empty
   * list to mean "nothing there".
   */
  read(spec: Spec, context: SourceContext): Promise<SourceDocument[]>;
}
