import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { registerSimulatorCommand } from '../src/cli/commands/simulator.command.ts';

/** A program with the global --json flag, its output captured, stopped when the test says so. */
function program(stop: Promise<string>): { program: Command; out: string[] } {
  const out: string[] = [];
  const p = new Command('ds-ars').option('--json').exitOverride();
  p.configureOutput({ writeOut: (t) => void out.push(t), writeErr: (t) => void out.push(t) });
  registerSimulatorCommand(p, { waitForStop: () => stop });
  return { program: p, out };
}

async function until(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((resolve) => setTimeout(resolve, 10));
}

describe('ds-ars simulator', () => {
  it('prints its endpoint, démarches and tokens as JSON, serves until stopped, then closes', async () => {
    let stop!: (reason: string) => void;
    const { program: p, out } = program(new Promise((resolve) => (stop = resolve)));
    const run = p.parseAsync(['node', 'ds-ars', '--json', 'simulator', '--port', '0', '--dossiers', '3', '--seed', '4']);
    await until(() => out.length > 0);
    const info = JSON.parse(out.join(''));
    expect(info.demarches.map((d: { programme: string }) => d.programme)).toEqual(['aumg', 'asp', 'mgvh', 'asr', 'asap']);
    const res = await fetch(info.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${info.tokens.readOnly}` },
      body: JSON.stringify({ query: 'query($n: Int!) { demarche(number: $n) { title } }', variables: { n: info.demarches[0].number } }),
    });
    const body = (await res.json()) as { data: { demarche: { title: string } } };
    expect(body.data.demarche.title).toBe(info.demarches[0].title);
    stop('SIGTERM');
    await run;
    await expect(fetch(info.graphqlUrl, { method: 'POST' })).rejects.toThrow();
  });

  it('prints French lines for people and rejects a bad number of dossiers', async () => {
    const { program: p, out } = program(Promise.resolve('SIGINT'));
    await p.parseAsync(['node', 'ds-ars', 'simulator', '--port', '0', '--dossiers', '2']);
    const text = out.join('');
    expect(text).toContain('Simulateur démarches-simplifiées démarré sur http://127.0.0.1:');
    expect(text).toContain('Jeton lecture seule : ');
    expect(text).toContain('Simulateur arrêté (SIGINT).');
    const bad = program(Promise.resolve('SIGINT'));
    await expect(bad.program.parseAsync(['node', 'ds-ars', 'simulator', '--dossiers', 'beaucoup'])).rejects.toThrow();
    expect(bad.out.join('')).toContain('entier attendu');
  });
});
