/**
 * In CI the upstream-schema conformance tests may not be skipped: run in a child vitest with
 * CI=true and a schema path that does not exist, test/conformance.test.ts must fail and say why.
 * .ci/run (the README's `npm ci` then `npm test`) runs with CI=true.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const run = promisify(execFile);

/** A child vitest on the conformance file; the parent's vitest variables are not passed on. */
async function conformance(env: Record<string, string>): Promise<{ code: number; output: string }> {
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('VITEST') && key !== 'CI'));
  const args = [join(root, 'node_modules/vitest/vitest.mjs'), 'run', 'test/conformance.test.ts', '--reporter=verbose'];
  try {
    const { stdout, stderr } = await run(process.execPath, args, { cwd: root, env: { ...inherited, ...env } });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, output: failed.stdout + failed.stderr };
  }
}

const missing = join(root, 'nulle-part', 'schema.graphql');

describe('upstream conformance tests in CI', () => {
  it('fail, instead of being skipped, when the upstream schema is missing and CI=true', async () => {
    const { code, output } = await conformance({ CI: 'true', DS_UPSTREAM_SCHEMA: missing });
    expect(code).toBe(1);
    expect(output).toContain(`Schéma DS amont introuvable (${missing}) alors que CI=true`);
    expect(output).not.toMatch(/\bskipped\b/);
  });

  it('are skipped, with a warning, on a developer clone without the schema', async () => {
    const { code, output } = await conformance({ DS_UPSTREAM_SCHEMA: missing });
    expect(code).toBe(0);
    expect(output).toContain(`schéma DS amont introuvable (${missing}) : tests de conformité amont ignorés`);
    expect(output).toMatch(/\bskipped\b/);
  });

  it('.ci/run runs the README’s test command with CI=true', () => {
    const script = readFileSync(join(root, '.ci/run'), 'utf8');
    const commands = script.split('\n').filter((line) => line.trim() !== '' && !line.startsWith('#'));
    expect(commands.slice(-3)).toEqual(['export CI=true', 'npm ci', 'npm test']);
  });
});
