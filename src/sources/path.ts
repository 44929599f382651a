import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { glob, isDynamicPattern } from 'tinyglobby';
import { z } from 'zod';
import { SourceError } from '../errors.js';
import { commonSourceFields, type Source } from './source.js';

export const PathSourceSpec = z.strictObject({
  path: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]),
  ...commonSourceFields,
});
export type PathSourceSpec = z.infer<typeof PathSourceSpec>;

function patternsOf(spec: PathSourceSpec): string[] {
  return typeof spec.path === 'string' ? [spec.path] : spec.path;
}

/** Files or globs relative to driftwatch.yaml, read in sorted order so snapshots are stable. */
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
      const matches = await glob(pattern, {
        cwd: context.configDir,
        onlyFiles: true,
        dot: true,
        expandDirectories: false,
      });
      if (matches.length === 0) {
        throw new SourceError([{ source: pattern, message: `the glob '${pattern}' matched no files` }]);
      }
      files.push(...matches.sort());
    }
    return Promise.all(
      files.map(async (file) => {
        const origin = file.split(path.sep).join('/');
        try {
          return { origin, text: await readFile(path.resolve(context.configDir, file), 'utf8') };
        } catch (error) {
          throw new SourceError([{ source: origin, file: origin, message: describeReadError(error) }]);
        }
      }),
    );
  },
};

export function describeReadError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'file not found';
  if (code === 'EACCES') return 'permission denied';
  if (code === 'EISDIR') return 'is a directory, not a file';
  return error instanceof Error ? error.message : String(error);
}
