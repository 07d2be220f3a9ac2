import { createWriteStream, existsSync, mkdirSync, writeFileSync, type WriteStream } from 'node:fs';
import { join } from 'node:path';

/**
 * Output of reports holds personal data of doctors: folders are created 0700, files 0600 and
 * never overwritten (`wx`), so a second run the same minute gets a suffixed name.
 */
export function ensurePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
}

/** `dir/base.ext`, or `dir/base-2.ext`, … if taken. */
export function freePath(dir: string, base: string, ext: string): string {
  let path = join(dir, `${base}.${ext}`);
  for (let n = 2; existsSync(path); n++) path = join(dir, `${base}-${n}.${ext}`);
  return path;
}

export function privateWriteStream(path: string): WriteStream {
  return createWriteStream(path, { mode: 0o600, flags: 'wx' });
}

export function writePrivateFile(path: string, data: string | Buffer): void {
  writeFileSync(path, data, { mode: 0o600, flag: 'wx' });
}
