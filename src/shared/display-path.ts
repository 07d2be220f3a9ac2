import { isAbsolute, relative, resolve } from 'node:path';

/**
 * A path as shown to a person: relative to the working directory when it lies under it
 * (« demo/sorties/01-sync.txt »), absolute otherwise — never « ../../tmp/demo/… ».
 */
export function displayPath(path: string, cwd: string = process.cwd()): string {
  const absolute = resolve(cwd, path);
  const rel = relative(cwd, absolute);
  if (rel === '') return '.';
  return rel.startsWith('..') || isAbsolute(rel) ? absolute : rel;
}
