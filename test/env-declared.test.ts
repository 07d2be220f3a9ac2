/**
 * Every environment variable the product reads is declared in src/config/env.ts (issue #18, « one
 * command context »): commands get them parsed from their context, and the demo passes its own
 * settings instead of writing process.env. This scans the code so that it stays so.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ENV_VARIABLES } from '../src/config/env.ts';

/** Files allowed to read process.env, and why. */
const PROCESS_ENV_READERS: Record<string, string> = {
  'src/config/env.ts': 'parses the variables (loadEnv)',
  'src/cli/main.ts': 'hands the process environment to the CLI once (defaultIo.env); commands read it from their context',
  'src/http/proxy.ts': 'HTTPS_PROXY, HTTP_PROXY, NO_PROXY, read like undici and curl do, before the CLI starts',
};

/** Variables read by name outside env.ts's schema, and why. */
const UNDECLARED: Record<string, string> = {
  HTTPS_PROXY: 'proxy (src/http/proxy.ts)',
  HTTP_PROXY: 'proxy (src/http/proxy.ts)',
  NO_PROXY: 'proxy (src/http/proxy.ts)',
};

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'generated' ? [] : files(path);
    return /\.(ts|js|mjs|cjs)$/.test(name) ? [path] : [];
  });
}

/** The code without its comments (a comment may name process.env to say it is not read). */
function code(path: string): string {
  return readFileSync(path, 'utf8')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
}

const sources = [...files('src'), ...files('bin')];

describe('environment variables', () => {
  it('are read from process.env only where listed', () => {
    const readers = sources.filter((path) => /\bprocess\.env\b/.test(code(path)));
    expect(readers.sort()).toEqual(Object.keys(PROCESS_ENV_READERS).sort());
  });

  it('are all declared in src/config/env.ts', () => {
    const read = new Set<string>();
    for (const path of sources) {
      for (const match of code(path).matchAll(/\benv(?:\?)?\.([A-Z][A-Z0-9_]+)\b|\benv\[\s*'([A-Z][A-Z0-9_]+)'\s*\]/g))
        read.add(match[1] ?? match[2]!);
    }
    const undeclared = [...read].filter((name) => !ENV_VARIABLES.includes(name) && UNDECLARED[name] === undefined);
    expect(undeclared).toEqual([]);
    // The scan finds what it looks for: commands read DS_ARS_DB and the token expiry through their context.
    expect(read).toContain('DS_ARS_DB');
    expect(read).toContain('DS_API_TOKEN_EXPIRES_ON');
  });
});
