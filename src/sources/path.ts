import { isDynamicPattern } from 'tinyglobby';
import * as z from 'zod';
import { ByteSize } from '../config/units.js';
import { SourceError } from '../errors.js';
import { commonSourceFields, type Source } from './source.js';

export const PathSourceSpec = z.strictObject({
  path: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]),
  /** Per file: a 50 MB YAML is a mistake (or an attack), not configuration; refused before it is read. */
  maxBytes: ByteSize.default(10 * 1024 ** 2),
  ...commonSourceFields,
});
export type PathSourceSpec = z.infer<typeof PathSourceSpec>;

function patternsOf(spec: PathSourceSpec): string[] {
  return typeof spec.path === 'string' ? [spec.path] : spec.path;
}

/**
 * Files or globs relative to driftwatch.yaml, read in sorted order so snapshots
 * are stable. They are read through the check's file tree: the work tree for
 * the CLI, a commit's files for the PR bot.
 */
export const pathSource: Source<PathSourceSpec> = {
  kind: 'path',
  schema: PathSourceSpec,
  describe: (spec) => patternsOf(spec).join(', '),
  async read(spec, context) {
    const files: string[] = [];
    for (const pattern of patternsOf(spec)) {
      if (!isDynamicPattern(pattern)) {
        files.push(pattern);
        continue;
      }
      const matches = await context.files.glob(pattern);
      if (matches.length === 0) {
        throw new SourceError([{ source: pattern, message: `the glob '${pattern}' matched no files` }]);
      }
      files.push(...matches);
    }
    return Promise.all(
      files.map(async (file) => {
        const origin = file.replaceAll('\\', '/');
        const [bytes, tracked] = await Promise.all([
          context.files.readFile(file, { maxBytes: spec.maxBytes }),
          context.files.isTracked(file),
        ]);
        return { origin, bytes, ...(tracked ? { tracked } : {}) };
      }),
    );
  },
};
