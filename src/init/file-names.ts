import path from 'node:path';

/** The folder of a repository path, `''` at the root. */
export function folderOf(file: string): string {
  const dir = path.posix.dirname(file);
  return dir === '.' ? '' : dir;
}

/** `dir/name`, or `name` at the root. */
export function joinPath(dir: string, name: string): string {
  return dir === '' ? name : `${dir}/${name}`;
}

/** A name usable as one key path segment (a `prefix:`): letters, digits, `_` and `-`. */
export function keySegment(name: string): string {
  const segment = name.replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '');
  return segment === '' ? 'root' : segment;
}
